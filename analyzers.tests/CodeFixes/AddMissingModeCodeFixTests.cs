using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.CodeFixes.CodeFixVerifier<XeLocked.Analyzers.Rules.ContractAnalyzer, XeLocked.CodeFixes.Fixes.AddMissingModeCodeFixProvider>;

namespace XeLocked.Analyzers.Tests.CodeFixes;

[TestClass]
public sealed class AddMissingModeCodeFixTests
{
    private const string Types = """
        class Vm { public readonly RwSem Lock = new(); public readonly object Plain = new(); }

        """;

    [TestMethod]
    public Task AddsReadMode() => Verify.VerifyAsync(
        Types + """class C { [Requires("{|XL0005:vm.Lock|}")] void M(Vm vm) { } }""",
        Types + """class C { [Requires("vm.Lock:read")] void M(Vm vm) { } }""",
        "XL0005.read");

    [TestMethod]
    public Task AddsWriteModeInsideADisjunction() => Verify.VerifyAsync(
        Types + """class C { [Requires("vm.Plain | ({|XL0005:vm.Lock|} & vm.Plain)")] void M(Vm vm) { } }""",
        Types + """class C { [Requires("vm.Plain | (vm.Lock:write & vm.Plain)")] void M(Vm vm) { } }""",
        "XL0005.write");

    [TestMethod]
    public Task FixAllAddsTheModeEverywhere() => Verify.VerifyAsync(
        Types + """
        class C
        {
            [Acquires("{|XL0005:vm.Lock|}")] void A(Vm vm) { }
            [Releases("{|XL0005:vm.Lock|}")] void R(Vm vm) { }
        }
        """,
        Types + """
        class C
        {
            [Acquires("vm.Lock:write")] void A(Vm vm) { }
            [Releases("vm.Lock:write")] void R(Vm vm) { }
        }
        """,
        "XL0005.write");

    [TestMethod]
    public Task NotOfferedWhenTheExpressionIsAConstant() => Verify.VerifyNoFixAsync(
        Types + """
        class C
        {
            const string Expr = "vm.Lock";
            [Requires({|XL0005:Expr|})] void M(Vm vm) { }
        }
        """);
}
