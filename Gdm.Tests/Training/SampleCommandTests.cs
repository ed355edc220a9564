using Gdm.Core.Models;
using Gdm.Training.Cli;
using Gdm.Training.Imaging;
using Gdm.Training.Onnx;
using Gdm.Training.Training;
using SixLabors.ImageSharp;
using static TorchSharp.torch;

namespace Gdm.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class SampleCommandTests
{
    [Fact]
    public void Sample_on_a_freshly_exported_tiny_model_writes_a_grid_png_of_the_right_size()
    {
        using var folder = new TinyRun();
        var options = TinyRun.Options("rows:2:bottom-up") with { CheckpointEvery = 2 };
        var data = TinyRun.Data(options);
        var run = folder.Run("run");
        using (var trainer = Trainer.Start(options, run, data, CPU))
            trainer.Run(2, TextWriter.Null);
        var modelDirectory = Path.Combine(folder.Folder, "model");
        var manifest = ModelExport.Export(run, run.LatestCheckpoint()!, modelDirectory, "tiny", "test");
        Assert.Equal(ModelManifest.Sha256Of(Path.Combine(modelDirectory, ModelExport.OnnxFile)), manifest.Network.Sha256);
        Assert.Equal(2, manifest.Training.Steps);
        var metadata = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(modelDirectory, ModelExport.OnnxFile))).MetadataProps
            .ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(ProcessDefinition.Of(manifest), ProcessDefinition.Of(manifest).Where(e => metadata.GetValueOrDefault(e.Key) == e.Value));
        Assert.Empty(ProcessDefinition.Mismatches(manifest, metadata));

        var grid = Path.Combine(folder.Folder, "grid.png");
        var arguments = new Arguments(["--model", modelDirectory, "--count", "5", "--seed", "3", "--out", grid, "--steps-per-group", "2"], new HashSet<string>());
        Assert.Equal(0, ModelCommands.Sample(arguments));

        var info = Image.Identify(grid);
        var (width, height) = ImageGrid.Size(data.Shape, 5, ImageGrid.DefaultColumns(5));
        Assert.Equal((3 * 8 + 4 * ImageGrid.Gap, 2 * 8 + 3 * ImageGrid.Gap), (width, height));
        Assert.Equal((width, height), (info.Width, info.Height));
    }

    [Fact]
    public void An_export_records_the_train_command_and_every_resume_that_made_its_weights()
    {
        using var folder = new TinyRun();
        var run = Path.Combine(folder.Folder, "run");
        string[] train = ["--data", "synthetic:32", "--image-size", "8", "--channels", "1", "--width", "8", "--mults", "1,2", "--res-blocks", "1",
            "--norm-groups", "4", "--batch", "4", "--steps", "2", "--sample-every", "0", "--threads", "1", "--out", run];
        Assert.Equal(0, TrainingCommands.Train(new Arguments(train, TrainingCommands.Switches), "gdm-train train (tiny)", CancellationToken.None));
        Assert.Equal(0, TrainingCommands.Resume(new Arguments(["--run", run, "--steps", "3", "--threads", "1"], TrainingCommands.Switches), "gdm-train resume (tiny)", CancellationToken.None));

        var model = Path.Combine(folder.Folder, "model");
        var manifest = ModelExport.Export(new RunDirectory(run), new RunDirectory(run).LatestCheckpoint()!, model, "tiny", "test");

        Assert.Equal(3, manifest.Training.Steps);
        Assert.StartsWith("gdm-train train (tiny); gdm-train resume (tiny) (from step 2); ", manifest.Training.Command);
    }
}
