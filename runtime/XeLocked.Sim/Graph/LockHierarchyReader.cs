using System.Reflection;
using XeLocked.Locking;
using XeLocked.LockExpressions;

namespace XeLocked.Sim.Graph;

/// <summary>
/// Reads the declared lock hierarchy of an assembly: every field or property whose type is a
/// tracked lock (<see cref="ITrackedLock"/>) is a lock class <c>"TypeName.MemberName"</c>, and the
/// declared edges are the order the run-time tracker reads from the same assembly's
/// <c>[LockOrder]</c> attributes (<c>DeclaredOrder.Read</c>), names and all: a qualified name
/// (<c>"XeLocked.Xe.Vm.Lock"</c>) is the class <c>"Vm.Lock"</c>, a malformed one is rejected.
/// </summary>
public static class LockHierarchyReader
{
    private const BindingFlags AllMembers =
        BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Reads the lock classes and declared edges of <paramref name="assemblies"/>.</summary>
    /// <param name="assemblies">The assemblies to scan (the model's, usually).</param>
    /// <returns>The declared hierarchy.</returns>
    /// <exception cref="InvalidOperationException">A <c>[LockOrder]</c> names a class malformedly.</exception>
    public static LockHierarchy Read(params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var order = DeclaredOrder.Read(assemblies);
        var classes = new List<string>();
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
                if (memberType is not null && typeof(ITrackedLock).IsAssignableFrom(memberType))
                {
                    classes.Add(ClassName(type, member));
                }
            }
        }

        return new LockHierarchy(classes, order);
    }

    /// <summary>The lock class name of a member: <c>"TypeName.MemberName"</c> (<see cref="LockClassName.OfMember"/>).</summary>
    internal static string ClassName(Type type, MemberInfo member) => LockClassName.OfMember(type.Name, member.Name).Key;

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
