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
    public async Task Sample_on_a_freshly_exported_tiny_model_writes_a_grid_png_of_the_right_size()
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
        Assert.Equal(0, await Run("sample", "--model", modelDirectory, "--count", "5", "--seed", "3", "--out", grid, "--steps-per-group", "2"));

        var info = Image.Identify(grid);
        var (width, height) = ImageGrid.Size(data.Shape, 5, ImageGrid.DefaultColumns(5));
        Assert.Equal((3 * 8 + 4 * ImageGrid.Gap, 2 * 8 + 3 * ImageGrid.Gap), (width, height));
        Assert.Equal((width, height), (info.Width, info.Height));
    }

    [Fact]
    public async Task An_export_without_a_name_is_named_after_its_folder_and_records_every_command_that_made_its_weights()
    {
        using var folder = new TinyRun();
        var run = Path.Combine(folder.Folder, "run");
        var model = Path.Combine(folder.Folder, "tiny-model");
        string[] train = ["train", "--data", "synthetic:32", "--image-size", "8", "--channels", "1", "--width", "8", "--mults", "1,2", "--res-blocks", "1",
            "--norm-groups", "4", "--batch", "4", "--steps", "2", "--sample-every", "0", "--threads", "1", "--out", run];
        string[] resume = ["resume", "--run", run, "--steps", "3", "--threads", "1"];
        string[] export = ["export", "--run", run, "--out", model];

        Assert.Equal(0, await Run(train));
        Assert.Equal(0, await Run(resume));
        Assert.Equal(0, await Run(export));

        var manifest = ModelManifest.Read(Path.Combine(model, ModelManifest.FileName));
        Assert.Equal("tiny-model", manifest.Name);
        Assert.Equal(3, manifest.Training.Steps);
        var here = Environment.CurrentDirectory;
        Assert.Equal($"{RecordedCommand.From(train, here)}; {RecordedCommand.From(resume, here)} (from step 2); {RecordedCommand.From(export, here)}", manifest.Training.Command);

        // A model folder is one version: exporting into it again is refused and leaves it as it was.
        var graph = File.ReadAllBytes(Path.Combine(model, manifest.Network.OnnxFile));
        Assert.Equal(2, await Run(export));
        Assert.Equal(graph, File.ReadAllBytes(Path.Combine(model, manifest.Network.OnnxFile)));
        Assert.Equal(manifest.Network.Sha256, ModelManifest.Read(Path.Combine(model, ModelManifest.FileName)).Network.Sha256);
        Assert.False(Directory.Exists(model + ".partial"));
    }

    private static Task<int> Run(params string[] args) =>
        CommandLineRun.InvokeAsync(TrainerCommandLine.Create(CancellationToken.None), args, TrainerCommandLine.IsUsageError);
}
