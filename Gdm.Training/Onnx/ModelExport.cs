using Gdm.Core.Models;
using Gdm.Core.Transforms;
using Gdm.Training.Network;
using Gdm.Training.Training;

namespace Gdm.Training.Onnx;

/// <summary>
/// A checkpoint's EMA network to MODEL_DIR/model.onnx and manifest.json (Core's ModelManifest, with the ONNX file's
/// SHA-256). Reads the checkpoint only, so it is safe while the run keeps training.
/// </summary>
public static class ModelExport
{
    public const string OnnxFile = "model.onnx";

    /// <summary>Steps per group a client gets unless it asks otherwise: 8 Euler steps per group is where the grids of
    /// small models stop improving visibly.</summary>
    public const int DefaultStepsPerGroup = 8;

    /// <summary>Batch sizes at which every export is checked against TorchSharp (1, and an odd one above it).</summary>
    public static readonly IReadOnlyList<int> ParityBatches = [1, 7];

    public static ModelManifest Export(RunDirectory run, string checkpoint, string modelDirectory, string? name, string? command) =>
        Export(run, checkpoint, modelDirectory, name, command, ExportDefaults.None, out _);

    /// <summary>
    /// As Export, with the manifest's version number and the defaults new requests get, and reports the largest
    /// |TorchSharp - ONNX Runtime| difference at each of ParityBatches. A bad default is refused before anything is written.
    /// </summary>
    public static ModelManifest Export(RunDirectory run, string checkpoint, string modelDirectory, string? name, string? command, ExportDefaults defaults, out IReadOnlyList<double> parity)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var options = run.ReadOptions();
        var state = CheckpointState.Read(checkpoint);
        var statistics = run.ReadStatistics();
        var process = options.CreateProcess(state.Shape);
        using var network = new UNet(state.Shape, options.Network, process.Schedule);
        network.load(Path.Combine(checkpoint, CheckpointState.EmaFile));

        // A model folder is one version, which recipes name by its checksum: it is never written over. The new one is
        // written beside it and moved into place only once its parity is measured and its manifest written, so an
        // interrupted export leaves no graph whose manifest names another checksum.
        var finalDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDirectory));
        if (File.Exists(finalDirectory))
            throw new IOException($"{modelDirectory} is a file, not a folder for the model");
        if (Directory.Exists(finalDirectory) && Directory.EnumerateFileSystemEntries(finalDirectory).Any())
            throw new IOException($"{modelDirectory} is not empty: export each model version into a folder of its own (models/NAME-vN), so the recipes of the one there keep replaying");
        var writing = finalDirectory + ".partial";
        if (Directory.Exists(writing))
            Directory.Delete(writing, recursive: true);
        Directory.CreateDirectory(writing);
        var onnxPath = Path.Combine(writing, OnnxFile);

        var manifest = new ModelManifest
        {
            // Unnamed, a model is called after its own folder (models/fashion-dct is fashion-dct), not after the run's.
            Name = name ?? Path.GetFileName(finalDirectory),
            Version = defaults.Version,
            DefaultSampler = defaults.Sampler,
            DefaultGrid = defaults.Grid,
            Description = $"GDM u-network, {process.Grouping.Spec} on {state.DataSet}, EMA weights at step {state.Step}" +
                          (options.InitialWeights is { } initial ? $" of a run started from {initial} ({options.InitialSteps} steps), {options.InitialSteps + state.Step} in all" : ""),
            Image = new ManifestImage(state.Channels, state.Height, state.Width),
            Transform = OrthogonalTransform.Name(process.Transform.Kind),
            Grouping = process.Grouping.Spec,
            Schedule = new ManifestSchedule(process.Schedule.Boundaries.ToArray(), process.Schedule.Overlap),
            CausalInput = process.CausalInput,
            DefaultStepsPerGroup = Enumerable.Repeat(DefaultStepsPerGroup, process.Grouping.Count).ToArray(),
            Network = new ManifestNetwork
            {
                OnnxFile = OnnxFile,
                Sha256 = new string('0', 64), // set below, once the graph is written
                InputPixels = UNetExporter.InputPixels,
                InputTimes = UNetExporter.InputTimes,
                Output = UNetExporter.Output,
                OpsetVersion = OnnxGraphBuilder.OpsetVersion,
                Parameters = network.ParameterCount,
                Architecture = options.Network.Describe(state.Height),
            },
            Training = new ManifestTraining
            {
                DataSet = state.DataSet,
                Steps = options.InitialSteps + state.Step,
                BatchSize = options.BatchSize,
                Seed = options.Seed,
                Command = command is null ? options.Command : $"{options.Command}; {command}",
                WallTime = TimeSpan.FromSeconds(Math.Round(state.TrainingSeconds)),
                FinalLoss = state.LastLoss,
            },
            Statistics = statistics,
        };

        // Fails on a bad version, sampler or grid before the graph is written.
        manifest.Validate();

        // The graph carries the process it was trained for in its metadata, so a manifest edited to another process is refused.
        UNetExporter.Save(network, onnxPath, ProcessDefinition.Of(manifest));
        parity = Parity(network, onnxPath);
        manifest = manifest with { Network = manifest.Network with { Sha256 = ModelManifest.Sha256Of(onnxPath) } };
        manifest.Write(Path.Combine(writing, ModelManifest.FileName));
        if (Directory.Exists(finalDirectory))
            Directory.Delete(finalDirectory); // empty, checked above
        Directory.Move(writing, finalDirectory);
        return manifest;
    }

    /// <summary>Max |TorchSharp - ONNX Runtime| over random pixels in [-2, 2] and times in [0, 1], per batch size.</summary>
    public static IReadOnlyList<double> Parity(UNet network, string onnxPath)
    {
        using var onnx = new OnnxImageNetwork(onnxPath, network.Shape);
        var torch = new Training.TorchImageNetwork(network, TorchSharp.torch.CPU);
        var random = new Random(20_231_001);
        var worst = new List<double>();
        foreach (var batch in ParityBatches)
        {
            var pixels = Enumerable.Range(0, batch * network.Shape.Size).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            var times = Enumerable.Range(0, batch).Select(_ => (float)random.NextDouble()).ToArray();
            float[] expected = new float[pixels.Length], actual = new float[pixels.Length];
            torch.Run(pixels, times, expected);
            onnx.Run(pixels, times, actual);
            worst.Add(expected.Zip(actual).Max(pair => (double)Math.Abs(pair.First - pair.Second)));
        }

        return worst;
    }
}
