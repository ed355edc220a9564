using System.Buffers.Binary;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gdm.Core.Models;
using Gdm.Tests.Api.Support;
using Google.Protobuf;

namespace Gdm.Tests.Api.Endpoints;

/// <summary>
/// Two versions of one model served side by side: the test model as version 1, and version 2, the same graph with one
/// bias moved (so its images differ) and heun as its default sampler. New work gets version 2 and its recipes name it;
/// a recipe handed out before recipes named versions replays on version 1 to its recorded pixels; a recipe names the
/// version it replays on; a version that is not loaded is a 400 naming it.
/// </summary>
public sealed class ModelVersionTests(ModelVersionTests.TwoVersions service) : IClassFixture<ModelVersionTests.TwoVersions>
{
    private const string Model = "fashion-tiny";

    [Fact]
    public async Task The_model_list_shows_both_versions_with_their_digests_and_the_current_one()
    {
        var client = await service.Factory.ReadyClientAsync();
        var models = (await client.GetFromJsonAsync<JsonObject>("/v1/models"))!["models"]!.AsArray();

        var versions = models.Where(m => m!["name"]!.GetValue<string>() == Model).ToArray();
        Assert.Equal(2, versions.Length);
        var current = Assert.Single(versions, v => v!["current"]!.GetValue<bool>())!;
        Assert.Equal(2, current["versionNumber"]!.GetValue<int>());
        Assert.Equal(service.SecondDigest, current["version"]!.GetValue<string>());
        Assert.Equal("heun", current["defaultSampler"]!.GetValue<string>());
        Assert.Contains(versions, v => v!["version"]!.GetValue<string>() == service.FirstDigest);
    }

    [Fact]
    public async Task New_images_come_from_the_current_version_and_their_recipe_names_it_and_replays_bit_for_bit()
    {
        var client = await service.Factory.ReadyClientAsync();
        var made = await SampleAsync(client, """{"seed": 5, "stepsPerGroup": [2]}""");
        var recipe = made["images"]![0]!["recipe"]!.AsObject();

        Assert.Equal(service.SecondDigest, recipe["version"]!.GetValue<string>());
        Assert.Equal("uniform", recipe["grid"]!.GetValue<string>());
        Assert.Equal("heun", recipe["sampler"]!.GetValue<string>());
        var again = await SampleAsync(client, recipe.ToJsonString());
        Assert.Equal(Pixels(made), Pixels(again));
        Assert.Equal(recipe.ToJsonString(), again["images"]![0]!["recipe"]!.ToJsonString());
    }

    [Fact]
    public async Task A_recipe_from_before_versions_replays_on_the_first_version_to_its_recorded_pixels()
    {
        var client = await service.Factory.ReadyClientAsync();
        foreach (var recorded in RecipeReplayTests.Cases("recipes-fashion-tiny.json").Take(2))
        {
            var answer = await SampleAsync(client, recorded!["recipe"]!.ToJsonString());

            Assert.Equal(recorded["pixelsSha256"]!.GetValue<string>(), RecipeReplayTests.PixelsSha256(PngOf(answer)));
            Assert.Null(answer["images"]![0]!["recipe"]!["version"]);
        }
    }

    [Fact]
    public async Task The_same_seed_on_the_two_versions_gives_different_images_each_named_by_its_version()
    {
        var client = await service.Factory.ReadyClientAsync();
        var first = await SampleAsync(client, $$"""{"seed": 5, "version": "{{service.FirstDigest}}", "stepsPerGroup": [2], "sampler": "heun"}""");
        var second = await SampleAsync(client, $$"""{"seed": 5, "version": "{{service.SecondDigest}}", "stepsPerGroup": [2], "sampler": "heun"}""");

        Assert.Equal(service.FirstDigest, first["images"]![0]!["recipe"]!["version"]!.GetValue<string>());
        Assert.NotEqual(Pixels(first), Pixels(second));
    }

    [Fact]
    public async Task A_variation_of_a_recipe_from_before_versions_stays_on_the_first_version()
    {
        var client = await service.Factory.ReadyClientAsync();
        var old = RecipeReplayTests.Cases("recipes-fashion-tiny.json")[0]!["recipe"]!.ToJsonString();
        using var body = new StringContent($$"""{"source": {"recipe": {{old}}}, "fromGroup": 2, "count": 1, "seed": 3}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/variations", body);
        var answer = await response.JsonObjectAsync();

        Assert.True(response.IsSuccessStatusCode, answer.ToJsonString());
        var variation = answer["images"]![0]!["recipe"]!;
        Assert.Null(variation["version"]);
        var replayed = await SampleAsync(client, variation.ToJsonString());
        Assert.Equal(Pixels(answer), Pixels(replayed));
    }

    [Theory]
    [InlineData("""{"version": "ffffffffffff", "noise": [{"seed":1},{"seed":1},{"seed":1},{"seed":1},{"seed":1},{"seed":1}]}""", "version", "version 'ffffffffffff' of model 'fashion-tiny' is not loaded")]
    [InlineData("""{"model": "fashion-huge", "noise": [{"seed":1},{"seed":1},{"seed":1},{"seed":1},{"seed":1},{"seed":1}]}""", "model", "no model named 'fashion-huge' is loaded")]
    [InlineData("""{"seed": 1, "version": "ffffffffffff"}""", "version", "version 'ffffffffffff' of model 'fashion-tiny' is not loaded")]
    [InlineData("""{"seed": 1, "grid": "band-warp:1"}""", "grid", "has no data statistics")]
    public async Task A_model_or_version_that_is_not_loaded_is_a_400_naming_it(string request, string field, string message)
    {
        var client = await service.Factory.ReadyClientAsync();
        using var body = new StringContent(request, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/samples", body);
        var problem = await response.JsonObjectAsync();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), problem.ToJsonString());
        Assert.Contains(message, errors[field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<JsonObject> SampleAsync(HttpClient client, string request)
    {
        using var body = new StringContent(request, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/samples", body);
        var answer = await response.JsonObjectAsync();
        Assert.True(response.IsSuccessStatusCode, answer.ToJsonString());
        return answer;
    }

    private static byte[] PngOf(JsonObject answer) => Convert.FromBase64String(answer["images"]![0]!["png"]!.GetValue<string>());

    private static string Pixels(JsonObject answer) => RecipeReplayTests.PixelsSha256(PngOf(answer));

    /// <summary>A models folder with the test model (version 1) and a second version of it.</summary>
    public sealed class TwoVersions : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("gdm-versions-").FullName;

        public TwoVersions()
        {
            var manifest = TestModel.Manifest;
            var first = Path.Combine(_folder, "v1");
            Directory.CreateDirectory(first);
            File.Copy(Path.Combine(TestModel.Folder, ModelManifest.FileName), Path.Combine(first, ModelManifest.FileName));
            File.Copy(Path.Combine(TestModel.Folder, manifest.Network.OnnxFile), Path.Combine(first, manifest.Network.OnnxFile));

            // Version 2: the last initializer's first value moved by 0.1, a network of its own with its own digest.
            var second = Path.Combine(_folder, "v2");
            Directory.CreateDirectory(second);
            var graph = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(TestModel.Folder, manifest.Network.OnnxFile)));
            var moved = graph.Graph.Initializer.Last(t => t.RawData.Length >= sizeof(float));
            var raw = moved.RawData.ToByteArray();
            BinaryPrimitives.WriteSingleLittleEndian(raw, BinaryPrimitives.ReadSingleLittleEndian(raw) + 0.1f);
            moved.RawData = ByteString.CopyFrom(raw);
            var onnx = Path.Combine(second, manifest.Network.OnnxFile);
            using (var file = File.Create(onnx))
                graph.WriteTo(file);
            var sha = ModelManifest.Sha256Of(onnx);
            (manifest with { Version = 2, DefaultSampler = "heun", Network = manifest.Network with { Sha256 = sha } }).Write(Path.Combine(second, ModelManifest.FileName));

            FirstDigest = manifest.Digest;
            SecondDigest = sha[..12];
            Factory = new GdmApiFactory(new Dictionary<string, string?> { ["Models:Folder"] = _folder, ["Models:DefaultModel"] = Model });
        }

        public GdmApiFactory Factory { get; }

        public string FirstDigest { get; }

        public string SecondDigest { get; }

        public void Dispose()
        {
            Factory.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
