using System.CommandLine;
using Gdm.Training.Cli;

namespace Gdm.Bench;

/// <summary>gdm-bench's command tree: the full bench (no verb), `fuzz` and `load`.</summary>
public static class BenchCommandLine
{
    public static RootCommand Create()
    {
        var root = CommandLineRun.Root("gdm-bench: the network against the machine's fp32 peak, the service against the network alone, " +
                                       "batch invariance, variations and uploads. Prints numbers; asserts nothing.");
        var flags = new BenchFlags(measuring: true);
        flags.AddTo(root);
        root.SetAction((result, _) => ServiceBench.RunAsync(flags.Read(result)));
        root.Subcommands.Add(Fuzz());
        root.Subcommands.Add(Load());
        return root;
    }

    /// <summary>Bad settings the user can mend: one line and exit code 2.</summary>
    public static bool IsUsageError(Exception e) => e is ArgumentException or FileNotFoundException or DirectoryNotFoundException;

    private static Command Fuzz()
    {
        var flags = new BenchFlags(measuring: false);
        var count = Flag.Number("--count", "UPLOADS", "malformed uploads posted", 10_000, 1);
        var seed = Flag.Number("--seed", "SEED", "seeds the malformed uploads", 2026, int.MinValue);
        var clients = Flag.Number("--clients", "CLIENTS", "clients posting at once", 4, 1);
        var command = new Command("fuzz", "post seeded malformed uploads to the service as variations; status histogram, time by kind, working set") { count, seed, clients };
        flags.AddTo(command);
        command.SetAction((result, _) => FuzzBench.RunAsync(flags.Read(result), result.GetValue(count), result.GetValue(seed), result.GetValue(clients)));
        return command;
    }

    private static Command Load()
    {
        var flags = new BenchFlags(measuring: false);
        var seconds = Flag.Number("--seconds", "SECONDS", "seconds of open-loop arrivals", 60, 1);
        var factor = Flag.Number("--factor", "TIMES", "arrival rate as a multiple of the measured capacity", 4, 1);
        var measure = Flag.Number("--measure", "SECONDS", "seconds of closed-loop clients that measure the capacity", 15, 1);
        var command = new Command("load", "overload, measured: capacity, then open-loop arrivals above it with the served queue and deadline") { seconds, factor, measure };
        flags.AddTo(command);
        command.SetAction((result, _) => LoadBench.RunAsync(flags.Read(result), result.GetValue(seconds), result.GetValue(factor), result.GetValue(measure)));
        return command;
    }
}
