using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Analyzers.Contracts;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>Which contract-less wrapper methods are named as an enter/exit pair.</summary>
[TestClass]
public sealed class WrapperNamesTests
{
    [TestMethod]
    [DataRow("EnterTransaction", "ExitTransaction")]
    [DataRow("EnterExclusive", "ExitExclusive")]
    [DataRow("TryEnterExclusive", "ExitExclusive")]
    [DataRow("MaybeAcquirePublisherConfirmationLockAsync", "MaybeReleasePublisherConfirmationLock")]
    [DataRow("Enter", "Exit")]
    [DataRow("LockVm", "UnlockVm")]
    [DataRow("WaitAsync", "Release")]
    [DataRow("BeginRead", "EndRead")]
    public void Pairs(string acquirer, string releaser) => Assert.IsTrue(WrapperNames.ArePair(acquirer, releaser));

    [TestMethod]
    [DataRow("LeakAsync", "ReleaseOnly")]
    [DataRow("EnterTransaction", "ExitExclusive")]
    [DataRow("Entering", "Exit")]
    [DataRow("Start", "Stop")]
    [DataRow("ExitTransaction", "EnterTransaction")]
    public void DoesNotPair(string acquirer, string releaser) => Assert.IsFalse(WrapperNames.ArePair(acquirer, releaser));
}
