// XeLocked.Sim entry point: see SimApp for the command tree and docs/sim.md for the contract.
using XeLocked.Sim;
using XeLocked.Sim.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await SimApp.RunAsync(args, SimConsole.FromSystemConsole(), cancel.Token);
