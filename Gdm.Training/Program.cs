using Gdm.Core.Models;
using Gdm.Training.Cli;
using Gdm.Training.Data;
using Gdm.Training.Training;

// gdm-train: train | resume | export | stats | sample | benchmark | evaluate. Bad input prints one line naming the flag or file.
const string Usage = """
    usage:
      gdm-train train  --data SPEC --grouping SPEC --steps N --out RUN_DIR [--batch B --width W --lr LR --seed S ...]
      gdm-train resume --run RUN_DIR --steps N
      gdm-train export --run RUN_DIR --out MODEL_DIR
      gdm-train stats  --model MODEL_DIR --data SPEC   (writes the data's coefficient statistics into the manifest)
      gdm-train sample --model MODEL_DIR --count N --seed S --out GRID.png
      gdm-train benchmark [--data SPEC --width W --batch B --measure STEPS]
      gdm-train evaluate --model MODEL_DIR [--compare DIR,DIR] --out docs [--samples N --nfe N --seed S]
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

if (Gdm.Training.Network.CpuKernels.RelaunchCappedIfNeeded(args) is { } relaunchedExitCode)
    return relaunchedExitCode;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: finish the current step and write a checkpoint; a second one kills the process.
    if (cancellation.IsCancellationRequested)
        return;
    e.Cancel = true;
    Console.Error.WriteLine("stopping after this step (Ctrl+C again to abort)");
    cancellation.Cancel();
};

var verb = args[0];
var commandLine = RecordedCommand.From(args, Environment.CurrentDirectory);
try
{
    var flags = new Arguments(args[1..], TrainingCommands.Switches);
    return verb switch
    {
        "train" => TrainingCommands.Train(flags, commandLine, cancellation.Token),
        "resume" => TrainingCommands.Resume(flags, commandLine, cancellation.Token),
        "export" => ModelCommands.Export(flags, commandLine),
        "sample" => ModelCommands.Sample(flags),
        "stats" => ModelCommands.Statistics(flags),
        "benchmark" => TrainingCommands.Benchmark(flags),
        "evaluate" => Gdm.Training.Evaluation.EvaluationCommand.Run(flags, commandLine),
        _ => throw new UsageException($"unknown verb '{verb}': use train, resume, export, stats, sample, benchmark or evaluate"),
    };
}
catch (Exception e) when (e is UsageException or DataException or RunException or ManifestException or FormatException or ArgumentException)
{
    Console.Error.WriteLine($"gdm-train {verb}: {e.Message}");
    return 2;
}
