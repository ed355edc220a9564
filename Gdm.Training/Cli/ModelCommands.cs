using System.CommandLine;
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

    public static Command Export()
    {
        var run = Flag.Required("--run", "RUN_DIR", "the run whose EMA weights are exported");
        var output = Flag.Required("--out", "MODEL_DIR", "the model folder to write: model.onnx and manifest.json");
        var checkpoint = Flag.OptionalText("--checkpoint", "CHECKPOINT_DIR", "the checkpoint to export", "the run's latest");
        var name = Flag.OptionalText("--name", "NAME", "the model's name in its manifest and in the service's /v1/models", "the --out folder's name");
        var version = Flag.Number("--version", "NUMBER", "the model's version number among the models of its name (the service gives new work the highest)", 1, 1);
        var sampler = Flag.OptionalText("--default-sampler", "euler|heun|heun-euler-last", "the sampler new requests get when they name none", "euler");
        var grid = Flag.OptionalText("--default-grid", "uniform|band-warp:SIGMA_REF", "the time grid new recipes get when they name none", "uniform");
        var command = new Command("export", "write a run's EMA network as ONNX (opset 21) with its manifest, checked against TorchSharp within 1e-4") { run, output, checkpoint, name, version, sampler, grid };
        command.SetAction(result => Export(new RunDirectory(result.GetValue(run)!), result.GetValue(output)!, result.GetValue(checkpoint), result.GetValue(name),
            new ExportDefaults(result.GetValue(version), result.GetValue(sampler), result.GetValue(grid)), RecordedCommand.From(result)));
        return command;
    }

    public static Command Statistics()
    {
        var model = Flag.Required("--model", "MODEL_DIR", "the exported model whose manifest gets the statistics");
        var data = Flag.Required("--data", "SPEC", "the data the model was trained on: fashion-mnist[:DIR], idx:IMAGES_FILE, folder:DIR, synthetic[:COUNT]");
        var command = new Command("stats", "measure the data's coefficient statistics and write them into a model's manifest (the ONNX graph is not touched)") { model, data };
        command.SetAction(result => Statistics(result.GetValue(model)!, result.GetValue(data)!));
        return command;
    }

    public static Command Sample()
    {
        var model = Flag.Required("--model", "MODEL_DIR", "the exported model to sample");
        var count = Flag.Number("--count", "IMAGES", "samples in the grid", 16, 1);
        var seed = Flag.Number("--seed", "SEED", "the first sample's seed (sample i has seed + i)", 0L, 0L);
        var output = Flag.Required("--out", "GRID.png", "the PNG grid to write");
        var stepsPerGroup = Flag.Number("--steps-per-group", "STEPS", "sampler steps per group (0: the manifest's)", 0, 0);
        var sampler = Flag.Text("--sampler", "euler|heun", "the sampler", "euler");
        var columns = Flag.Number("--columns", "IMAGES", "images per grid row (0: as square as the count allows)", 0, 0);
        var command = new Command("sample", "draw a grid of samples from an exported model with ONNX Runtime") { model, count, seed, output, stepsPerGroup, sampler, columns };
        command.SetAction(result => Sample(result.GetValue(model)!, result.GetValue(count), result.GetValue(seed), result.GetValue(output)!,
            result.GetValue(stepsPerGroup), result.GetValue(sampler)!, result.GetValue(columns)));
        return command;
    }

    private static int Export(RunDirectory run, string output, string? checkpoint, string? name, ExportDefaults defaults, string commandLine)
    {
        run.ReadOptions();
        checkpoint ??= run.LatestCheckpoint() ?? throw new RunException(run.CheckpointsFolder, "holds no checkpoint yet: train for at least --checkpoint-every steps");
        if (!Directory.Exists(checkpoint))
            throw new UsageException($"--checkpoint {checkpoint}: folder not found");
        var manifest = ModelExport.Export(run, checkpoint, output, name, commandLine, defaults, out var parity);
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
    private static int Statistics(string modelDirectory, string dataSpec)
    {
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

    private static int Sample(string modelDirectory, int count, long seed, string output, int stepsPerGroup, string sampler, int columns)
    {
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
