using System.CommandLine;
using Gdm.Core.Models;
using Gdm.Training.Data;
using Gdm.Training.Evaluation;
using Gdm.Training.Training;

namespace Gdm.Training.Cli;

/// <summary>gdm-train's command tree: one verb per command, each with its flags, their units and defaults.</summary>
public static class TrainerCommandLine
{
    /// <param name="stopping">Cancelled by the first Ctrl+C: training finishes its step and writes a checkpoint.</param>
    public static RootCommand Create(CancellationToken stopping)
    {
        var root = CommandLineRun.Root("gdm-train: trains the GDM u-network (TorchSharp), exports it as ONNX, samples and evaluates models.");
        root.Subcommands.Add(TrainingCommands.Train(stopping));
        root.Subcommands.Add(TrainingCommands.Resume(stopping));
        root.Subcommands.Add(ModelCommands.Export());
        root.Subcommands.Add(ModelCommands.Statistics());
        root.Subcommands.Add(ModelCommands.Sample());
        root.Subcommands.Add(TrainingCommands.Benchmark());
        root.Subcommands.Add(TrainingCommands.CheckKernels(stopping));
        root.Subcommands.Add(EvaluationCommand.Create());
        return root;
    }

    /// <summary>
    /// The verbs that watch the stopping token (train, resume, check-kernels): the first Ctrl+C or SIGTERM lets them
    /// finish a step (training writes a checkpoint); every other verb stops at once as usual.
    /// </summary>
    public static bool StopsAtAStep(ParseResult parsed) =>
        parsed.CommandResult.Command.Name is "train" or "resume" or "check-kernels";

    /// <summary>
    /// Failures the user can mend (a bad value, a missing file or run, a bad spec, a path that is a file or not
    /// writable, a truncated checkpoint): one line and exit code 2, no stack trace.
    /// </summary>
    public static bool IsUsageError(Exception e) =>
        e is UsageException or DataException or RunException or ManifestException or FormatException or ArgumentException
            or IOException or UnauthorizedAccessException;
}
