extern alias LockExpressionsAssembly;
using LockExpressionsAssembly::XeLocked.LockExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace XeLocked.Analyzers.Tests.LockExpressions;

/// <summary>
/// The one grammar of lock class names (<c>[LockOrder]</c>, <c>[NoLockEdge]</c>). The same inputs
/// are checked end to end in the analyzer (<c>LockClassNameFormsTests</c>) and in the runtime
/// tracker and the Sim's graph (<c>runtime.tests</c>, <c>LockClassNameAgreementTests</c>).
/// </summary>
[TestClass]
public sealed class LockClassNameTests
{
    [TestMethod]
    [DataRow("Vm.Lock", "Vm", "Vm", "Lock", "Vm.Lock")]
    [DataRow("XeLocked.Xe.Vm.Lock", "XeLocked.Xe.Vm", "Vm", "Lock", "Vm.Lock")]
    [DataRow("Outer.Inner.Field", "Outer.Inner", "Inner", "Field", "Inner.Field")]
    [DataRow("_a1._b2", "_a1", "_a1", "_b2", "_a1._b2")]
    [DataRow("Äpfel.Schloß", "Äpfel", "Äpfel", "Schloß", "Äpfel.Schloß")]
    public void Parses(string text, string typeName, string simpleTypeName, string member, string key)
    {
        Assert.IsTrue(LockClassName.TryParse(text, out var name, out var error), error?.ToString());
        Assert.AreEqual(typeName, name.TypeName);
        Assert.AreEqual(simpleTypeName, name.SimpleTypeName);
        Assert.AreEqual(member, name.MemberName);
        Assert.AreEqual(key, name.Key);
        Assert.AreEqual(text, name.ToString(), "formats as written");
        Assert.AreEqual(typeName != simpleTypeName, name.IsQualified);
        Assert.AreEqual(name, LockClassName.Parse(text));
    }

    [TestMethod]
    [DataRow("", 0, 0, "a lock class is written 'TypeName.MemberName', not empty")]
    [DataRow("   ", 0, 3, "a lock class is written 'TypeName.MemberName', not empty")]
    [DataRow("Lock", 0, 4, "a lock class is written 'TypeName.MemberName'")]
    [DataRow("global::Vm.Lock", 0, 8, "a lock class is written 'TypeName.MemberName', without 'global::'")]
    [DataRow(" Vm.Lock", 0, 1, "a lock class is written 'TypeName.MemberName', without white space")]
    [DataRow("Vm. Lock", 3, 1, "a lock class is written 'TypeName.MemberName', without white space")]
    [DataRow("Vm.Lock ", 7, 1, "a lock class is written 'TypeName.MemberName', without white space")]
    [DataRow("Box`1.Lock", 3, 7, "a lock class is written 'TypeName.MemberName': a generic type is named by its simple name, without type arguments or arity")]
    [DataRow("Box<T>.Lock", 3, 8, "a lock class is written 'TypeName.MemberName': a generic type is named by its simple name, without type arguments or arity")]
    [DataRow("Outer+Inner.Lock", 5, 1, "a lock class is written 'TypeName.MemberName': a nested type is written 'Outer.Inner', not 'Outer+Inner'")]
    [DataRow(".Lock", 0, 1, "a lock class is written 'TypeName.MemberName': expected an identifier before '.'")]
    [DataRow("Vm.", 2, 1, "a lock class is written 'TypeName.MemberName': expected an identifier after '.'")]
    [DataRow("Vm..Lock", 2, 1, "a lock class is written 'TypeName.MemberName': expected an identifier after '.'")]
    [DataRow("Vm.1Lock", 3, 5, "a lock class is written 'TypeName.MemberName': '1Lock' is not an identifier")]
    [DataRow("Vm.Lock()", 3, 6, "a lock class is written 'TypeName.MemberName': 'Lock()' is not an identifier")]
    public void RejectsWithPosition(string text, int position, int length, string message)
    {
        Assert.IsFalse(LockClassName.TryParse(text, out _, out var error));
        Assert.IsNotNull(error);
        Assert.AreEqual(message, error.Message);
        Assert.AreEqual(position, error.Position);
        Assert.AreEqual(length, error.Length);
        var ex = Assert.ThrowsExactly<FormatException>(() => LockClassName.Parse(text));
        StringAssert.Contains(ex.Message, $"\"{text}\" is not a lock class name: column {position + 1}: {message}");
    }

    [TestMethod]
    public void Null_IsRejectedNotThrown()
    {
        Assert.IsFalse(LockClassName.TryParse(null, out _, out var error));
        Assert.AreEqual(0, error!.Position);
        Assert.ThrowsExactly<FormatException>(() => LockClassName.Parse(null));
    }

    [TestMethod]
    public void EqualityIsByKey()
    {
        var qualified = LockClassName.Parse("XeLocked.Xe.Vm.Lock");
        var simple = LockClassName.Parse("Vm.Lock");
        Assert.AreEqual(simple, qualified);
        Assert.IsTrue(simple == qualified);
        Assert.AreEqual(simple.GetHashCode(), qualified.GetHashCode());
        Assert.AreNotEqual(simple, LockClassName.Parse("Vm.Resv"));
        Assert.IsTrue(simple != LockClassName.Parse("Vma.Lock"));
        Assert.AreNotEqual(simple, default);
        Assert.AreEqual(default(LockClassName), default);
        Assert.AreEqual(string.Empty, default(LockClassName).ToString());
    }

    [TestMethod]
    [DataRow("Vm", "Lock", "Vm.Lock")]
    [DataRow("Box`1", "Lock", "Box.Lock")]
    [DataRow("Pair`2", "Gate", "Pair.Gate")]
    public void OfMember_DropsGenericArity(string typeName, string member, string key)
    {
        var name = LockClassName.OfMember(typeName, member);
        Assert.AreEqual(key, name.Key);
        Assert.AreEqual(key, name.ToString());
        Assert.IsFalse(name.IsQualified);
        Assert.AreEqual(LockClassName.Parse(key), name);
    }

    [TestMethod]
    public void OfMember_RejectsNull()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => LockClassName.OfMember(null!, "Lock"));
        Assert.ThrowsExactly<ArgumentNullException>(() => LockClassName.OfMember("Vm", null!));
    }
}
