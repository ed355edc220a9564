using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gdm.Tests.Api.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Tests.Api.Endpoints;

/// <summary>
/// Recipes handed out by the service before the v1 contract change (Gdm.Tests/Api/Fixtures: each case is a recipe as
/// it was returned and the SHA-256 of its PNG's 8-bit pixels), posted to /v1/samples as they stand: every one must
/// still be accepted and make the same pixels, bit for bit. Recorded on the test model and on the shipped default
/// model (fashion-dct version 2).
/// </summary>
public sealed class RecipeReplayTests(RecipeReplayTests.ShippedModelApi shipped, SharedApi test)
    : IClassFixture<RecipeReplayTests.ShippedModelApi>, IClassFixture<SharedApi>
{
    public static TheoryData<string> TestModelCases => Names("recipes-fashion-tiny.json");

    public static TheoryData<string> ShippedModelCases => Names("recipes-fashion-dct-v2.json");

    [Theory]
    [MemberData(nameof(TestModelCases))]
    public async Task A_recipe_handed_out_by_the_test_model_replays_to_the_same_pixels(string name) =>
        await ReplayAsync(await test.Factory.ReadyClientAsync(), "recipes-fashion-tiny.json", name);

    [Theory]
    [MemberData(nameof(ShippedModelCases))]
    public async Task A_recipe_handed_out_by_the_shipped_model_version_2_replays_to_the_same_pixels(string name) =>
        await ReplayAsync(await shipped.Factory.ReadyClientAsync(), "recipes-fashion-dct-v2.json", name);

    private static async Task ReplayAsync(HttpClient client, string file, string name)
    {
        var recorded = Cases(file).Single(c => c!["name"]!.GetValue<string>() == name)!;
        using var body = new StringContent(recorded["recipe"]!.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/samples", body);
        var answer = await response.JsonObjectAsync();
        Assert.True(response.IsSuccessStatusCode, answer.ToJsonString());

        var png = Convert.FromBase64String(answer["images"]![0]!["png"]!.GetValue<string>());
        Assert.Equal(recorded["pixelsSha256"]!.GetValue<string>(), PixelsSha256(png));
    }

    internal static string PixelsSha256(byte[] png)
    {
        using var image = Image.Load<L8>(png);
        var levels = new byte[image.Width * image.Height];
        image.CopyPixelDataTo(levels);
        return Convert.ToHexStringLower(SHA256.HashData(levels));
    }

    internal static JsonArray Cases(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestModel.Folder, "..", "Fixtures", file)))!.AsArray();

    private static TheoryData<string> Names(string file)
    {
        var names = new TheoryData<string>();
        foreach (var c in Cases(file))
            names.Add(c!["name"]!.GetValue<string>());
        return names;
    }

    /// <summary>The service on the repository's models/ folder (the shipped default model).</summary>
    public sealed class ShippedModelApi : IDisposable
    {
        public GdmApiFactory Factory { get; } = new(new Dictionary<string, string?> { ["Models:Folder"] = ShippedModels.Folder });

        public void Dispose() => Factory.Dispose();
    }
}
