using System.Diagnostics;
using System.Globalization;
using Gdm.Core;
using Gdm.Training.Data;
using Gdm.Training.Network;
using Gdm.Training.Training;
using static TorchSharp.torch;

namespace Gdm.Training.Cli;

/// <summary>The `train`, `resume` and `benchmark` verbs.</summary>
public static class TrainingCommands
{
    /// <summary>The flags of gdm-train that take no value.</summary>
    public static IReadOnlySet<string> Switches { get; } = new HashSet<string>(StringComparer.Ordinal) { "--causal-input", "--no-causal-input", "--plain-loss", "--precondition" };

    public static int Train(Arguments args, string commandLine, CancellationToken cancellationToken)
    {
        var options = ReadTrainingOptions(args) with { Command = commandLine };
        var run = new RunDirectory(args.Required("--out"));
        args.RejectUnknown("train");
        if (File.Exists(run.OptionsFile))
            throw new UsageException($"--out {run.Path} already holds a run: continue it with `resume --run {run.Path}`");
        var device = SelectDevice(options.Device);
        ApplyThreads(options.Threads);
        var data = LoadData(options);
        using var trainer = Trainer.Start(options, run, data, device);
        Console.WriteLine($"training {options.Network.Describe(data.Shape.Height)} ({trainer.Model.ParameterCount:N0} parameters) on {data.Name}, {data.Shape}");
        Console.WriteLine($"grouping {trainer.Process.Grouping.Spec} ({trainer.Process.Grouping.Count} groups), batch {options.BatchSize}, {options.Steps} steps, run {run.Path}");
        trainer.Run(options.Steps, Console.Out, cancellationToken);
        Console.WriteLine($"stopped at step {trainer.Step}; latest checkpoint {run.LatestCheckpoint()}");
        return 0;
    }

    public static int Resume(Arguments args, string commandLine, CancellationToken cancellationToken)
    {
        var run = new RunDirectory(args.Required("--run"));
        var saved = run.ReadOptions();
        var options = saved with
        {
            Steps = args.Long("--steps", saved.Steps, 1),
            Device = args.Optional("--device") ?? saved.Device,
            Threads = args.Integer("--threads", saved.Threads, 0),
        };
        args.RejectUnknown("resume");
        var checkpoint = run.LatestCheckpoint() ?? throw new RunException(run.CheckpointsFolder, "holds no checkpoint to resume from");
        var device = SelectDevice(options.Device);
        ApplyThreads(options.Threads);
        var data = LoadData(options);
        using var trainer = Trainer.Resume(options, run, data, device, checkpoint);
        // The run's command history grows by this resume, so an export records every command that made its weights.
        run.WriteOptions(options with
        {
            Command = $"{saved.Command}; {commandLine} (from step {trainer.Step})",
        });
        Console.WriteLine($"resuming {run.Path} at step {trainer.Step} of {options.Steps}");
        trainer.Run(options.Steps, Console.Out, cancellationToken);
        Console.WriteLine($"stopped at step {trainer.Step}; latest checkpoint {run.LatestCheckpoint()}");
        return 0;
    }

    /// <summary>Seconds per optimizer step (forward, backward, AdamW, EMA) for the given options, after warm-up steps.</summary>
    public static int Benchmark(Arguments args)
    {
        var options = ReadTrainingOptions(args, dataRequired: false);
        var steps = args.Integer("--measure", 10, 1);
        args.RejectUnknown("benchmark");
        ApplyThreads(options.Threads);
        var data = LoadData(options);
        var run = new RunDirectory(Path.Combine(Path.GetTempPath(), "gdm-benchmark-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
        try
        {
            using var trainer = Trainer.Start(options, run, data, SelectDevice(options.Device));
            for (var i = 0; i < 2; i++)
                trainer.TrainStep();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < steps; i++)
                trainer.TrainStep();
            var perStep = clock.Elapsed.TotalSeconds / steps;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{data.Shape} width {options.Network.BaseWidth} mults {string.Join(",", options.Network.ChannelMultipliers)} res {options.Network.ResidualBlocksPerLevel} batch {options.BatchSize}: {perStep:F3} s/step ({trainer.Model.ParameterCount:N0} parameters; {CpuKernels.IsaVariable}={Environment.GetEnvironmentVariable(CpuKernels.IsaVariable) ?? "unset"}, {trainer.RetriedPasses} passes computed again, {trainer.SkippedSteps} steps skipped)"));
        }
        finally
        {
            Directory.Delete(run.Path, recursive: true);
        }

        return 0;
    }

    private static TrainingOptions ReadTrainingOptions(Arguments args, bool dataRequired = true)
    {
        var defaults = new TrainingOptions { Data = "synthetic" };
        var network = new UNetOptions
        {
            BaseWidth = args.Integer("--width", defaults.Network.BaseWidth, 2),
            ChannelMultipliers = args.Integers("--mults") ?? defaults.Network.ChannelMultipliers,
            ResidualBlocksPerLevel = args.Integer("--res-blocks", defaults.Network.ResidualBlocksPerLevel, 1),
            AttentionResolutions = args.Integers("--attention"),
            NormGroups = args.Integer("--norm-groups", defaults.Network.NormGroups, 1),
        };
        return new TrainingOptions
        {
            Data = dataRequired ? args.Required("--data") : args.Optional("--data") ?? "fashion-mnist",
            Grouping = args.Optional("--grouping") ?? defaults.Grouping,
            ImageSize = args.Integer("--image-size", defaults.ImageSize, 1),
            Channels = args.Integer("--channels", defaults.Channels, 1),
            IntervalLengths = args.Numbers("--intervals"),
            Overlap = args.Number("--overlap", defaults.Overlap, 0),
            CausalInput = !args.Has("--no-causal-input") && (args.Has("--causal-input") || defaults.CausalInput),
            NormaliseGroupLoss = !args.Has("--plain-loss"),
            Preconditioned = args.Has("--precondition"),
            TimeWarpReference = args.Optional("--time-warp") is null ? null : args.Number("--time-warp", 1, double.Epsilon),
            Steps = args.Long("--steps", defaults.Steps, 1),
            BatchSize = args.Integer("--batch", defaults.BatchSize, 1),
            LearningRate = args.Number("--lr", defaults.LearningRate, 0),
            WarmupSteps = args.Integer("--warmup", defaults.WarmupSteps, 0),
            WeightDecay = args.Number("--weight-decay", defaults.WeightDecay, 0),
            GradientClip = args.Number("--clip", defaults.GradientClip, 0),
            EmaDecay = args.Number("--ema", defaults.EmaDecay, 0),
            Seed = args.Integer("--seed", defaults.Seed),
            CheckpointEvery = args.Integer("--checkpoint-every", defaults.CheckpointEvery, 1),
            SampleEvery = args.Integer("--sample-every", defaults.SampleEvery, 0),
            LogEvery = args.Integer("--log-every", defaults.LogEvery, 1),
            Device = args.Optional("--device") ?? defaults.Device,
            Threads = args.Integer("--threads", defaults.Threads, 0),
            Network = network,
        };
    }

    internal static ImageDataSet LoadData(TrainingOptions options)
    {
        if (options.Channels is not (1 or 3))
            throw new UsageException($"--channels must be 1 or 3, got {options.Channels}");
        return DataSpec.Load(options.Data, new ImageShape(options.Channels, options.ImageSize, options.ImageSize), options.Seed);
    }

    internal static Device SelectDevice(string name)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case "cpu":
                return CPU;
            case "cuda":
                if (cuda.is_available())
                    return CUDA;
                Console.Error.WriteLine("--device cuda: this libtorch build has no usable CUDA device; training on the CPU (build with -p:GdmCuda=true on a CUDA machine)");
                return CPU;
            default:
                throw new UsageException($"--device must be cpu or cuda, got '{name}'");
        }
    }

    internal static void ApplyThreads(int threads) => TorchThreads.Configure(threads, Console.Error);
}
