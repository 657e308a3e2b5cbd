extern alias LockExpressionsAssembly;
using LockExpressionsAssembly::XeLocked.LockExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace XeLocked.Analyzers.Tests.LockExpressions;

[TestClass]
public sealed class LockExpressionParserTests
{
    [TestMethod]
    [DataRow("Lock", "Lock")]
    [DataRow("this.Lock", "this.Lock")]
    [DataRow(" vm . Lock : read ", "vm.Lock:read")]
    [DataRow("vm.Lock:write | (vm.Lock:read & vma.FaultLock)", "vm.Lock:write | vm.Lock:read & vma.FaultLock")]
    [DataRow("a & (b | c)", "a & b | a & c")]
    [DataRow("(a | b) & (c | d)", "a & c | a & d | b & c | b & d")]
    [DataRow("((a))", "a")]
    public void ParsesToNormalForm(string text, string normalForm)
    {
        Assert.IsTrue(LockExpressionParser.TryParse(text, out var expr, out var error), error?.ToString());
        Assert.AreEqual(normalForm, expr!.ToString());
    }

    [TestMethod]
    [DataRow("", 0, "empty lock expression: expected a lock path")]
    [DataRow("   ", 0, "empty lock expression: expected a lock path")]
    [DataRow("a |", 2, "expected a lock path after '|'")]
    [DataRow("a & ", 2, "expected a lock path after '&'")]
    [DataRow("a:reed", 2, "unknown mode 'reed': expected 'read' or 'write'")]
    [DataRow("a:", 1, "expected 'read' or 'write' after ':'")]
    [DataRow("(a | b", 0, "missing ')' to close '('")]
    [DataRow("a)", 1, "unbalanced ')': no matching '('")]
    [DataRow("a.", 1, "expected an identifier after '.'")]
    [DataRow("a b", 2, "unexpected 'b': expected '|', '&' or the end of the expression")]
    [DataRow("1a", 0, "unexpected '1': expected a lock path")]
    [DataRow("()", 0, "empty parentheses: expected a lock path")]
    [DataRow("(a | b):read", 7, "a mode applies to one lock path, not to a parenthesized expression")]
    public void ReportsErrorWithPosition(string text, int position, string message)
    {
        Assert.IsFalse(LockExpressionParser.TryParse(text, out var expr, out var error));
        Assert.IsNull(expr);
        Assert.AreEqual(message, error!.Message);
        Assert.AreEqual(position, error.Position);
    }

    [TestMethod]
    public void FactorsCarryPositionsAndModes()
    {
        Assert.IsTrue(LockExpressionParser.TryParse("vm.Lock:read & vma.FaultLock", out var expr, out _));
        var factors = expr!.Alternatives[0];
        Assert.AreEqual(2, factors.Count);
        Assert.AreEqual(LockModeSpec.Read, factors[0].Mode);
        Assert.AreEqual(0, factors[0].Start);
        Assert.AreEqual("vm.Lock:read".Length, factors[0].Length);
        Assert.AreEqual(15, factors[1].Path.Start);
        CollectionAssert.AreEqual(new[] { "vma", "FaultLock" }, factors[1].Path.Segments.ToArray());
        CollectionAssert.AreEqual(new[] { 15, 19 }, factors[1].Path.SegmentStarts.ToArray());
    }

    [TestMethod]
    public void DeepNestingAndBlowUpAreErrorsNotCrashes()
    {
        var deep = new string('(', 100) + "a" + new string(')', 100);
        Assert.IsFalse(LockExpressionParser.TryParse(deep, out _, out var error));
        StringAssert.Contains(error!.Message, "nested deeper");

        var wide = string.Join(" & ", Enumerable.Range(0, 10).Select(i => $"(a{i} | b{i})"));
        Assert.IsFalse(LockExpressionParser.TryParse(wide, out _, out error));
        StringAssert.Contains(error!.Message, "too complex");

        Assert.IsFalse(LockExpressionParser.TryParse(null, out _, out error));
        Assert.AreEqual(0, error!.Position);
    }
}
