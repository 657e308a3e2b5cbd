using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AnalyzerVerifier<XeLocked.Analyzers.Rules.ContractAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// Every written form of a lock class name in <c>[LockOrder]</c>, end to end through the analyzer
/// (XL0010 or not). The runtime tracker and the Sim's graph get the same inputs in
/// <c>runtime.tests</c> (<c>LockClassNameAgreementTests</c>) and accept and reject exactly these.
/// </summary>
[TestClass]
public sealed class LockClassNameFormsTests
{
    // The attribute's string starts at line 9, column 37 (line 1 is the verifier's usings).
    private static string Source(string name) => """
        namespace Ns
        {
            class Vm { public readonly object Lock = new(); }
            class Outer { public class Inner { public readonly object Lock = new(); } }
            class Box<T> { public readonly object Lock = new(); }
            class D
            {
                [LockOrder(After = new[] { "
        """ + name + """
        " })]
                public readonly object L = new();
            }
        }
        """;

    [TestMethod]
    [DataRow("Vm.Lock")]
    [DataRow("Ns.Vm.Lock")]
    [DataRow("Outer.Inner.Lock")]
    [DataRow("Ns.Outer.Inner.Lock")]
    [DataRow("Box.Lock")]
    public Task Accepted(string name) => Verify.VerifyAsync(Source(name));

    [TestMethod]
    [DataRow("global::Ns.Vm.Lock", 0, 8, "a lock class is written 'TypeName.MemberName', without 'global::'")]
    [DataRow(" Vm.Lock", 0, 1, "a lock class is written 'TypeName.MemberName', without white space")]
    [DataRow("Vm.Lock ", 7, 1, "a lock class is written 'TypeName.MemberName', without white space")]
    [DataRow("Box`1.Lock", 3, 7, "a lock class is written 'TypeName.MemberName': a generic type is named by its simple name, without type arguments or arity")]
    [DataRow("Box<T>.Lock", 3, 8, "a lock class is written 'TypeName.MemberName': a generic type is named by its simple name, without type arguments or arity")]
    [DataRow("Outer+Inner.Lock", 5, 1, "a lock class is written 'TypeName.MemberName': a nested type is written 'Outer.Inner', not 'Outer+Inner'")]
    [DataRow("Lock", 0, 4, "a lock class is written 'TypeName.MemberName'")]
    [DataRow("Vm..Lock", 2, 1, "a lock class is written 'TypeName.MemberName': expected an identifier after '.'")]
    public Task Rejected(string name, int position, int length, string message) => Verify.VerifyAsync(Source(name),
        Verify.Diagnostic("XL0010").WithSpan(9, 37 + position, 9, 37 + position + length).WithArguments(name, message));
}
