using System.Reflection;
using System.Reflection.Emit;
using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Runtime.Tests.Lockdep.Support;

/// <summary>
/// Emits an in-memory assembly whose types carry real <c>[LockOrder]</c> attributes on lock
/// fields, so that <see cref="XeLocked.Locking.Lockdep.LoadDeclaredOrder"/> reads them exactly as it
/// reads a compiled one, with unique type names per test (the declared order is process-wide).
/// </summary>
internal static class OrderAssembly
{
    private static int s_next;

    public sealed record Member(string Type, string Field, string[]? After = null, string[]? Before = null);

    public static Assembly Build(string ns, params Member[] members)
    {
        var ab = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"XeLockedOrder{Interlocked.Increment(ref s_next)}"), AssemblyBuilderAccess.Run);
        var mb = ab.DefineDynamicModule("main");
        var ctor = typeof(LockOrderAttribute).GetConstructor(Type.EmptyTypes)!;
        var after = typeof(LockOrderAttribute).GetProperty(nameof(LockOrderAttribute.After))!;
        var before = typeof(LockOrderAttribute).GetProperty(nameof(LockOrderAttribute.Before))!;
        foreach (var group in members.GroupBy(m => m.Type))
        {
            var tb = mb.DefineType($"{ns}.{group.Key}", TypeAttributes.Public | TypeAttributes.Class | TypeAttributes.Sealed);
            foreach (var m in group)
            {
                var fb = tb.DefineField(m.Field, typeof(TrackedMutex), FieldAttributes.Public | FieldAttributes.InitOnly);
                fb.SetCustomAttribute(new CustomAttributeBuilder(ctor, Array.Empty<object>(),
                    new[] { after, before }, new object[] { m.After ?? Array.Empty<string>(), m.Before ?? Array.Empty<string>() }));
            }

            tb.CreateType();
        }

        return ab;
    }
}
