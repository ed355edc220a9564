using System.Text;
using System.Text.Json.Nodes;
using Gdm.Tests.Api.Support;

namespace Gdm.Tests.Api.Endpoints;

/// <summary>
/// A mix whose first recipe source names its version while its leading source (kept as the prefix) is a recipe from
/// before versions: the answer's recipe, posted back to /v1/samples, must make the same pixels.
/// </summary>
public sealed class MixVersionReplayTests(RecipeReplayTests.ShippedModelApi shipped) : IClassFixture<RecipeReplayTests.ShippedModelApi>
{
    private const string FirstVersion = "367c531ba94f"; // models/fashion-dct, version 2: what recipes without a version replay on

    [Fact]
    public async Task A_mix_of_a_versioned_recipe_and_a_prefix_from_a_recipe_without_version_replays_bit_for_bit()
    {
        var client = await shipped.Factory.ReadyClientAsync();
        var versioned = (await PostAsync(client, "/v1/samples", $$"""{"seed": 5, "version": "{{FirstVersion}}", "stepsPerGroup": [2]}"""))["images"]![0]!["recipe"]!;
        const string old = """{"model": "fashion-dct", "noise": [{"seed": 9}, {"seed": 9}, {"seed": 9}, {"seed": 9}, {"seed": 9}, {"seed": 9}], "stepsPerGroup": [2, 2, 2, 2, 2, 2], "sampler": "euler"}""";

        var mixed = await PostAsync(client, "/v1/mix", $$"""{"sources": [{"recipe": {{versioned.ToJsonString()}}}, {"recipe": {{old}}}], "groupSources": [1, 1, 0, 0, 0, 0]}""");
        var recipe = mixed["images"]![0]!["recipe"]!;
        var replayed = await PostAsync(client, "/v1/samples", recipe.ToJsonString());

        Assert.Equal(Pixels(mixed), Pixels(replayed));
    }

    private static async Task<JsonObject> PostAsync(HttpClient client, string path, string request)
    {
        using var body = new StringContent(request, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, body);
        var answer = await response.JsonObjectAsync();
        Assert.True(response.IsSuccessStatusCode, answer.ToJsonString());
        return answer;
    }

    private static string Pixels(JsonObject answer) =>
        RecipeReplayTests.PixelsSha256(Convert.FromBase64String(answer["images"]![0]!["png"]!.GetValue<string>()));
}
