using Gdm.Api.Inference;
using Gdm.Api.Options;
using Gdm.Core.Models;
using Gdm.Tests.Api.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gdm.Tests.Api.Inference;

/// <summary>
/// A graph that carries its process definition (as the exporter writes it) loads with its own manifest and is refused,
/// naming the field, with a manifest edited to another process; a graph without one (the models exported before)
/// still loads.
/// </summary>
public sealed class ProcessDefinitionTests
{
    private static readonly OnnxNetworkLoader Loader = new(
        Microsoft.Extensions.Options.Options.Create(new InferenceOptions { IntraOpThreads = 1 }),
        Microsoft.Extensions.Options.Options.Create(new EngineOptions()),
        NullLogger<OnnxNetworkLoader>.Instance);

    [Fact]
    public void A_graph_with_its_process_definition_loads_with_its_manifest_and_is_refused_with_an_edited_one_naming_the_field()
    {
        Assert.True(TestModel.IsOnnx, "the committed ONNX test model is missing");
        var manifest = TestModel.Manifest;
        using var folder = new TemporaryFolder();
        var onnx = Path.Combine(folder.Path, "model.onnx");
        var graph = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(TestModel.Folder, manifest.Network.OnnxFile)));
        foreach (var (key, value) in ProcessDefinition.Of(manifest))
            graph.MetadataProps.Add(new Onnx.StringStringEntryProto { Key = key, Value = value });
        using (var file = File.Create(onnx))
            Google.Protobuf.MessageExtensions.WriteTo(graph, file);

        (Loader.Load(manifest, onnx) as IDisposable)?.Dispose();
        var regrouped = manifest with { Grouping = "dct-bands:0,1,2,4,28", Schedule = new ManifestSchedule([1.0, 0.75, 0.5, 0.25, 0.0], 0) };
        var refused = Assert.Throws<ModelRefusedException>(() => Loader.Load(regrouped, onnx));
        var uncaused = Assert.Throws<ModelRefusedException>(() => Loader.Load(manifest with { CausalInput = !manifest.CausalInput }, onnx));

        Assert.Contains("grouping is dct-bands:0,1,2,4,8,16,28 in the graph, dct-bands:0,1,2,4,28 in the manifest", refused.Message);
        Assert.Contains("schedule.boundaries", refused.Message);
        Assert.Contains("causalInput", uncaused.Message);
    }

    [Fact]
    public void A_graph_without_a_process_definition_still_loads()
    {
        Assert.True(TestModel.IsOnnx, "the committed ONNX test model is missing");
        var manifest = TestModel.Manifest;
        var path = Path.Combine(TestModel.Folder, manifest.Network.OnnxFile);
        Assert.DoesNotContain(Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).MetadataProps, p => p.Key.StartsWith(ProcessDefinition.Prefix, StringComparison.Ordinal));
        (Loader.Load(manifest, path) as IDisposable)?.Dispose();
    }

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("gdm-process-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
