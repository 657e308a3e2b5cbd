using System.Reflection;
using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Sim.Graph;

/// <summary>
/// Reads the declared lock hierarchy of an assembly by reflection: every field or property whose
/// type is a tracked lock (<see cref="ITrackedLock"/>) or that carries <see cref="LockOrderAttribute"/>
/// is a lock class <c>"TypeName.MemberName"</c>, and every <c>After</c>/<c>Before</c> entry of a
/// <see cref="LockOrderAttribute"/> is a declared edge.
/// </summary>
/// <remarks>
/// <c>[LockOrder]</c> may name a class with a fully qualified type name
/// (<c>"XeLocked.Xe.Vm.Lock"</c>); such names are shortened to <c>"Vm.Lock"</c> so that they
/// agree with the run-time lockdep class names.
/// </remarks>
public static class LockHierarchyReader
{
    private const BindingFlags AllMembers =
        BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Reads the lock classes and declared edges of <paramref name="assemblies"/>.</summary>
    /// <param name="assemblies">The assemblies to scan (the model's, usually).</param>
    /// <returns>The declared hierarchy.</returns>
    public static LockHierarchy Read(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var classes = new List<string>();
        var edges = new List<LockEdge>();
        foreach (var type in assemblies.SelectMany(LoadableTypes))
        {
            foreach (var member in type.GetMembers(AllMembers))
            {
                var memberType = member switch
                {
                    FieldInfo f when !f.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)) => f.FieldType,
                    PropertyInfo p => p.PropertyType,
                    _ => null,
                };
                if (memberType is null)
                {
                    continue;
                }

                var order = member.GetCustomAttribute<LockOrderAttribute>();
                if (order is null && !typeof(ITrackedLock).IsAssignableFrom(memberType))
                {
                    continue;
                }

                var name = ClassName(type, member);
                classes.Add(name);
                if (order is null)
                {
                    continue;
                }

                edges.AddRange(order.After.Select(a => new LockEdge(Shorten(a), name, EdgeOrigin.Declared)));
                edges.AddRange(order.Before.Select(b => new LockEdge(name, Shorten(b), EdgeOrigin.Declared)));
            }
        }

        return new LockHierarchy(classes, edges);
    }

    /// <summary>The lock class name of a member: <c>"TypeName.MemberName"</c> (the simple name of the declaring type).</summary>
    internal static string ClassName(Type type, MemberInfo member) => $"{SimpleName(type)}.{member.Name}";

    /// <summary>Shortens <c>"Ns.Sub.Type.Member"</c> to <c>"Type.Member"</c>; a two-part name is returned as is.</summary>
    internal static string Shorten(string className)
    {
        var trimmed = className.Trim();
        var last = trimmed.LastIndexOf('.');
        if (last <= 0)
        {
            return trimmed;
        }

        var previous = trimmed.LastIndexOf('.', last - 1);
        return previous < 0 ? trimmed : trimmed[(previous + 1)..];
    }

    private static string SimpleName(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`');
        return tick < 0 ? name : name[..tick];
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
