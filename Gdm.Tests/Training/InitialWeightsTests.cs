using Gdm.Training.Network;
using Gdm.Training.Onnx;
using Gdm.Training.Training;
using static TorchSharp.torch;

namespace Gdm.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class InitialWeightsTests
{
    [Fact]
    public void A_run_started_from_an_exported_model_holds_that_models_weights_in_its_network_and_its_EMA()
    {
        using var folder = new TinyRun();
        var options = TinyRun.Options() with { CheckpointEvery = 3, Seed = 1 };
        var data = TinyRun.Data(options);
        var model = ExportedModel(folder, options, steps: 3);

        // Another seed: without the warm start every weight would differ.
        using var continued = Trainer.Start(options with { Seed = 2, InitialWeights = model }, folder.Run("continued"), data, CPU);
        var exported = Initializers(Path.Combine(model, ModelExport.OnnxFile));
        foreach (var network in new[] { continued.Model, continued.Ema })
        {
            var sources = UNetExporter.WeightSources(network);
            Assert.Equal(network.ParameterCount, sources.Values.Sum(p => p.numel()));
            foreach (var (name, parameter) in sources)
                Assert.Equal(exported[name], parameter.detach().contiguous().data<float>().ToArray());
        }

        // Its export counts the steps already in the weights it started from.
        using (var checkpointed = Trainer.Start(options with { Seed = 2, InitialWeights = model, InitialSteps = 3, CheckpointEvery = 2 }, folder.Run("counted"), data, CPU))
            checkpointed.Run(2, TextWriter.Null);
        var counted = folder.Run("counted");
        var manifest = ModelExport.Export(counted, counted.LatestCheckpoint()!, Path.Combine(folder.Folder, "counted-model"), "tiny", "test");
        Assert.Equal(5, manifest.Training.Steps);
        Assert.Contains($"started from {model} (3 steps)", manifest.Description, StringComparison.Ordinal);

        // A fresh run of the same seed starts elsewhere, and the warm-started one trains on.
        using var fresh = Trainer.Start(options with { Seed = 2 }, folder.Run("fresh"), data, CPU);
        Assert.NotEqual(Initializers(Path.Combine(model, ModelExport.OnnxFile))["stem.weight"],
            UNetExporter.WeightSources(fresh.Model)["stem.weight"].detach().contiguous().data<float>().ToArray());
        Assert.True(float.IsFinite(continued.TrainStep()));
    }

    [Fact]
    public void A_model_with_another_architecture_is_refused_with_the_weight_it_lacks()
    {
        using var folder = new TinyRun();
        var options = TinyRun.Options() with { CheckpointEvery = 1 };
        var data = TinyRun.Data(options);
        var model = ExportedModel(folder, options, steps: 1);

        var wider = options with { InitialWeights = model, Network = TinyRun.Network with { BaseWidth = 12 } };
        var widerRun = folder.Run("wider");
        var refused = Assert.Throws<RunException>(() => Trainer.Start(wider, widerRun, data, CPU).Dispose());
        Assert.Contains("holds", refused.Message);
        Assert.Contains("another architecture", refused.Message);
        Assert.False(File.Exists(widerRun.OptionsFile), "a refused start must not leave a run behind");

        var missing = Assert.Throws<RunException>(() => InitialWeights.OnnxPath(Path.Combine(folder.Folder, "nowhere")));
        Assert.Contains("manifest.json", missing.Message);
    }

    // A tiny run trained for `steps` steps (checkpointed at its last) and exported; returns the model folder.
    private static string ExportedModel(TinyRun folder, TrainingOptions options, int steps)
    {
        var source = folder.Run("source");
        using (var trainer = Trainer.Start(options, source, TinyRun.Data(options), CPU))
            trainer.Run(steps, TextWriter.Null);
        var model = Path.Combine(folder.Folder, "model");
        ModelExport.Export(source, source.LatestCheckpoint()!, model, "tiny", "test");
        return model;
    }

    private static Dictionary<string, float[]> Initializers(string onnxPath) =>
        Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath)).Graph.Initializer
            .Where(i => i.DataType == (int)Onnx.TensorProto.Types.DataType.Float)
            .ToDictionary(i => i.Name, i => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(i.RawData.Span).ToArray());
}
