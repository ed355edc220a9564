using System.Globalization;
using Gdm.Core.Models;
using Gdm.Training.Imaging;
using Gdm.Training.Onnx;
using Gdm.Training.Training;

namespace Gdm.Training.Cli;

/// <summary>The `export`, `stats` and `sample` verbs.</summary>
public static class ModelCommands
{
    /// <summary>The largest TorchSharp / ONNX Runtime difference an export may show (the parity tests' bound).</summary>
    public const double ParityTolerance = 1e-4;

    public static int Export(Arguments args, string commandLine)
    {
        var run = new RunDirectory(args.Required("--run"));
        var output = args.Required("--out");
        var checkpoint = args.Optional("--checkpoint");
        var name = args.Optional("--name");
        args.RejectUnknown("export");
        run.ReadOptions();
        checkpoint ??= run.LatestCheckpoint() ?? throw new RunException(run.CheckpointsFolder, "holds no checkpoint yet: train for at least --checkpoint-every steps");
        if (!Directory.Exists(checkpoint))
            throw new UsageException($"--checkpoint {checkpoint}: folder not found");
        var manifest = ModelExport.Export(run, checkpoint, output, name, commandLine, out var parity);
        Console.WriteLine($"exported {Path.GetFileName(checkpoint)} of {run.Path} to {Path.GetFullPath(output)} ({manifest.Network.Parameters:N0} parameters, sha256 {manifest.Network.Sha256[..12]}...)");
        var report = string.Join(", ", ModelExport.ParityBatches.Zip(parity, (batch, worst) => string.Create(CultureInfo.InvariantCulture, $"batch {batch}: {worst:E2}")));
        Console.WriteLine($"parity, max |TorchSharp - ONNX Runtime| on random inputs: {report}");
        if (parity.Any(worst => !(worst < ParityTolerance)))
        {
            Console.Error.WriteLine($"gdm-train export: {Path.Combine(output, ModelExport.OnnxFile)} differs from the checkpoint's network by more than {ParityTolerance}");
            return 1;
        }
        return 0;
    }

    /// <summary>
    /// Measures the coefficient statistics of a data set and writes them into an exported model's manifest (for a
    /// model exported before manifests carried them). Only the manifest changes: the ONNX graph is not touched.
    /// </summary>
    public static int Statistics(Arguments args)
    {
        var modelDirectory = args.Required("--model");
        var dataSpec = args.Required("--data");
        args.RejectUnknown("stats");
        var manifestPath = Path.Combine(modelDirectory, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new UsageException($"--model {modelDirectory}: no {ModelManifest.FileName} there");
        var manifest = ModelManifest.Read(manifestPath);
        var process = manifest.ToProcess();
        var data = Gdm.Training.Data.DataSpec.Load(dataSpec, manifest.Shape, (int)manifest.Training.Seed);
        if (data.Shape != manifest.Shape)
            throw new UsageException($"--data {dataSpec} holds {data.Shape} images, the model was trained on {manifest.Shape}");
        var statistics = Gdm.Core.Models.CoefficientStatistics.Measure(process.Transform, process.Grouping, data.ScaledImages(), data.Name);
        (manifest with { Statistics = statistics }).Write(manifestPath);
        Console.WriteLine($"wrote the statistics of {data.Name} into {manifestPath}: sigma_g {string.Join(", ", statistics.GroupStd.Select(s => s.ToString("G4", CultureInfo.InvariantCulture)))}");
        return 0;
    }

    public static int Sample(Arguments args)
    {
        var modelDirectory = args.Required("--model");
        var count = args.Integer("--count", 16, 1);
        var seed = args.Long("--seed", 0, 0);
        var output = args.Required("--out");
        var stepsPerGroup = args.Integer("--steps-per-group", 0, 0);
        var sampler = args.Optional("--sampler") ?? "euler";
        var columns = args.Integer("--columns", 0, 0);
        args.RejectUnknown("sample");
        var kind = sampler.ToLowerInvariant() switch
        {
            "euler" => Gdm.Core.Sampling.SamplerKind.Euler,
            "heun" => Gdm.Core.Sampling.SamplerKind.Heun,
            _ => throw new UsageException($"--sampler must be euler or heun, got '{sampler}'"),
        };
        var manifestPath = Path.Combine(modelDirectory, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new UsageException($"--model {modelDirectory}: no {ModelManifest.FileName} there");
        var manifest = ModelManifest.Read(manifestPath);
        var process = manifest.ToProcess();
        var steps = stepsPerGroup > 0 ? Enumerable.Repeat(stepsPerGroup, process.Grouping.Count).ToArray() : manifest.DefaultStepsPerGroup;
        using var network = OnnxImageNetwork.Open(modelDirectory, manifest);
        var pixels = GridSampler.Sample(network, process, count, (ulong)seed, steps, kind);
        ImageGrid.Save(output, pixels, manifest.Shape, columns > 0 ? columns : ImageGrid.DefaultColumns(count));
        Console.WriteLine($"wrote {count} samples of {manifest.Name} ({manifest.Shape}, {string.Join(",", steps)} steps per group) to {Path.GetFullPath(output)}");
        return 0;
    }
}
