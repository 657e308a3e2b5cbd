// Placeholder entry point until the Sim issue lands: the command-line surface is described in SPEC §5.
Console.Error.WriteLine("XeLocked.Sim: the model is not built yet; see README.md.");
return 2;
