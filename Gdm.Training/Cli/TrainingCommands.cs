using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Gdm.Core;
using Gdm.Training.Data;
using Gdm.Training.Network;
using Gdm.Training.Training;
using static TorchSharp.torch;

namespace Gdm.Training.Cli;

/// <summary>The `train`, `resume`, `benchmark` and `check-kernels` verbs.</summary>
public static class TrainingCommands
{
    /// <param name="stopping">Cancelled by the first Ctrl+C: the run finishes its step and writes a checkpoint.</param>
    public static Command Train(CancellationToken stopping)
    {
        var flags = new TrainingFlags(dataDefault: null);
        var output = Flag.Required("--out", "RUN_DIR", "the new run's folder: options.json, statistics.json, checkpoints, loss.csv, sample grids");
        var initFrom = Flag.OptionalText("--init-from", "MODEL_DIR", "an exported model folder whose weights the run starts from (same network flags), to train a model further when its run folder is gone", "random weights from --seed");
        var command = new Command("train", "train a new run from step 0");
        flags.AddTo(command);
        command.Options.Insert(1, output);
        command.Options.Add(initFrom);
        command.SetAction(result =>
        {
            var options = flags.Read(result) with { Command = RecordedCommand.From(result) };
            if (result.GetValue(initFrom) is { } model)
            {
                // The commands that made the initial weights come first, so the run's history is every command behind its weights.
                var initial = InitialWeights.Manifest(model).Training;
                options = options with
                {
                    InitialWeights = model,
                    InitialSteps = initial.Steps,
                    Command = initial.Command is { } before ? $"{before}; {options.Command}" : options.Command,
                };
            }
            return Train(options, new RunDirectory(result.GetValue(output)!), stopping);
        });
        return command;
    }

    public static Command Resume(CancellationToken stopping)
    {
        var run = Flag.Required("--run", "RUN_DIR", "the run to continue from its latest checkpoint (bit-identically)");
        var steps = Flag.OptionalNumber("--steps", "STEPS", "optimizer steps the run aims for", "the run's", 1L);
        var device = Flag.OptionalText("--device", "cpu|cuda", "where to train", "the run's");
        var threads = Flag.OptionalNumber("--threads", "THREADS", "intra-op threads (0: one)", "the run's", 0);
        var command = new Command("resume", "continue a run from its latest checkpoint; the run's options.json gives every other setting") { run, steps, device, threads };
        command.SetAction(result => Resume(new RunDirectory(result.GetValue(run)!), result.GetValue(steps), result.GetValue(device), result.GetValue(threads),
            RecordedCommand.From(result), stopping));
        return command;
    }

    public static Command Benchmark()
    {
        var flags = new TrainingFlags(dataDefault: "fashion-mnist");
        var measure = Flag.Number("--measure", "STEPS", "optimizer steps timed after two warm-up steps", 10, 1);
        var command = new Command("benchmark", "seconds per optimizer step (forward, backward, AdamW, EMA) of the given network and batch; writes nothing");
        flags.AddTo(command);
        command.Options.Add(measure);
        command.SetAction(result => Benchmark(flags.Read(result), result.GetValue(measure)));
        return command;
    }

    private static int Train(TrainingOptions options, RunDirectory run, CancellationToken cancellationToken)
    {
        if (File.Exists(run.OptionsFile))
            throw new UsageException($"--out {run.Path} already holds a run: continue it with `resume --run {run.Path}`");
        var device = SelectDevice(options.Device);
        PrepareProcess(options.Threads);
        var data = LoadData(options);
        using var trainer = Trainer.Start(options, run, data, device);
        Console.WriteLine($"training {options.Network.Describe(data.Shape.Height)} ({trainer.Model.ParameterCount:N0} parameters) on {data.Name}, {data.Shape}");
        Console.WriteLine($"grouping {trainer.Process.Grouping.Spec} ({trainer.Process.Grouping.Count} groups), batch {options.BatchSize}, {options.Steps} steps, run {run.Path}");
        trainer.Run(options.Steps, Console.Out, cancellationToken);
        Console.WriteLine($"stopped at step {trainer.Step}; latest checkpoint {run.LatestCheckpoint()}");
        return 0;
    }

    private static int Resume(RunDirectory run, long? steps, string? device, int? threads, string commandLine, CancellationToken cancellationToken)
    {
        var saved = run.ReadOptions();
        var options = saved with
        {
            Steps = steps ?? saved.Steps,
            Device = device ?? saved.Device,
            Threads = threads ?? saved.Threads,
        };
        var checkpoint = run.LatestCheckpoint() ?? throw new RunException(run.CheckpointsFolder, "holds no checkpoint to resume from");
        var selected = SelectDevice(options.Device);
        PrepareProcess(options.Threads);
        var data = LoadData(options);
        using var trainer = Trainer.Resume(options, run, data, selected, checkpoint);
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

    private static int Benchmark(TrainingOptions options, int steps)
    {
        PrepareProcess(options.Threads);
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
            // A bad option fails before the run's folder exists: its own message must not be hidden behind this one.
            if (Directory.Exists(run.Path))
                Directory.Delete(run.Path, recursive: true);
        }

        return 0;
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

    internal static void PrepareProcess(int threads)
    {
        TorchThreads.Configure(threads, Console.Error);
        NativeHeap.KeepFreedBlocks();
    }

    public static Command CheckKernels(CancellationToken stopping)
    {
        var flags = new TrainingFlags(dataDefault: "fashion-mnist");
        var passes = Flag.Number("--passes", "PASSES", "forward-backward passes compared with the first", 1000, 1);
        var command = new Command("check-kernels", "repeats one forward-backward pass of the network on one batch and reports passes that are not finite or not bit-identical (kernel faults); writes nothing");
        flags.AddTo(command);
        command.Options.Add(passes);
        command.SetAction(result => CheckKernels(flags.Read(result), result.GetValue(passes), stopping));
        return command;
    }

    private static int CheckKernels(TrainingOptions options, int passes, CancellationToken cancellationToken)
    {
        PrepareProcess(options.Threads);
        var shape = new ImageShape(options.Channels, options.ImageSize, options.ImageSize);
        manual_seed(options.Seed);
        using var network = new UNet(shape, options.Network, options.CreateProcess(shape).Schedule);
        using var x = randn(options.BatchSize, shape.Channels, shape.Height, shape.Width);
        using var times = rand(options.BatchSize);
        var clock = Stopwatch.StartNew();
        var found = KernelCheck.Run(network, x, times, passes, (pass, so) =>
        {
            if (pass % 100 == 0 || pass == passes)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pass {pass}/{passes}: {so.NotFinite} not finite, {so.Differing} differing (max {so.MaxDifference:G3}), {clock.Elapsed.TotalSeconds / pass:F3} s/pass"));
        }, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(found.Clean ? "clean" : "FAULTY")}: {CpuKernels.IsaVariable}={Environment.GetEnvironmentVariable(CpuKernels.IsaVariable) ?? "unset"}, oneDNN {(OneDnn.Enabled ? "on" : "off")}, {found.Passes} passes of batch {options.BatchSize}: {found.NotFinite} not finite, {found.Differing} not bit-identical (max difference {found.MaxDifference:G3}); difference from the native kernels {found.NativeDifference:G3} of the largest gradient"));
        return found.Clean ? 0 : 1;
    }
}
