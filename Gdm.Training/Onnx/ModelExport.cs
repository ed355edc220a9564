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

    public static ModelManifest Export(RunDirectory run, string checkpoint, string modelDirectory, string? name, string? command)
    {
        var options = run.ReadOptions();
        var state = CheckpointState.Read(checkpoint);
        var process = options.CreateProcess(state.Shape);
        using var network = new UNet(state.Shape, options.Network);
        network.load(Path.Combine(checkpoint, CheckpointState.EmaFile));

        Directory.CreateDirectory(modelDirectory);
        var onnxPath = Path.Combine(modelDirectory, OnnxFile);
        var temporary = onnxPath + ".partial";
        UNetExporter.Save(network, temporary);
        File.Move(temporary, onnxPath, overwrite: true);

        var manifest = new ModelManifest
        {
            Name = name ?? Path.GetFileName(run.Path.TrimEnd(Path.DirectorySeparatorChar)),
            Description = $"GDM u-network, {process.Grouping.Spec} on {state.DataSet}, EMA weights at step {state.Step}",
            Image = new ManifestImage(state.Channels, state.Height, state.Width),
            Transform = OrthogonalTransform.Name(process.Transform.Kind),
            Grouping = process.Grouping.Spec,
            Schedule = new ManifestSchedule(process.Schedule.Boundaries.ToArray(), process.Schedule.Overlap),
            CausalInput = process.CausalInput,
            DefaultStepsPerGroup = Enumerable.Repeat(DefaultStepsPerGroup, process.Grouping.Count).ToArray(),
            Network = new ManifestNetwork
            {
                OnnxFile = OnnxFile,
                Sha256 = ModelManifest.Sha256Of(onnxPath),
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
                Steps = state.Step,
                BatchSize = options.BatchSize,
                Seed = options.Seed,
                Command = command is null ? options.Command : $"{options.Command}; {command}",
                WallTime = TimeSpan.FromSeconds(Math.Round(state.TrainingSeconds)),
                FinalLoss = state.LastLoss,
            },
        };
        manifest.Write(Path.Combine(modelDirectory, ModelManifest.FileName));
        return manifest;
    }
}
