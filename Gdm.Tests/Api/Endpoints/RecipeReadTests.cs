using System.Net;
using System.Text.Json.Nodes;
using Gdm.Api.Images;
using Gdm.Tests.Api.Images;
using Gdm.Tests.Api.Support;

namespace Gdm.Tests.Api.Endpoints;

public sealed class RecipeReadTests(SharedApi api) : IClassFixture<SharedApi>
{
    [Fact]
    public async Task The_recipe_read_from_a_sample_png_is_the_recipe_samples_answered_and_replays_to_the_same_png()
    {
        var client = await api.Factory.ReadyClientAsync();
        using var made = await client.PostAsync("/v1/samples", new { count = 2, seed = 17, stepsPerGroup = new[] { 2 }, sampler = "heun" });
        var second = (await made.JsonObjectAsync())["images"]![1]!;
        var png = Convert.FromBase64String(second["png"]!.GetValue<string>());

        using var read = await client.PostAsync("/v1/recipes/read", new { image = Uploads.Base64(png) });
        using var readUpload = await client.PostAsync("/v1/recipes/read", Uploads.Form(new { image = new { file = 0 } }, png));
        var recipe = (await read.JsonObjectAsync())["recipe"]!;

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(second["recipe"]!.ToJsonString(), recipe.ToJsonString());
        Assert.Equal(recipe.ToJsonString(), (await readUpload.JsonObjectAsync())["recipe"]!.ToJsonString());
        var replay = await client.ImagesAsync("/v1/samples", recipe);
        Assert.Equal(Convert.ToBase64String(png), replay.Images[0].Png);
    }

    public static TheoryData<string, string> Unreadable => new()
    {
        { "png-without-recipe", "no tEXt chunk gdm-recipe" },
        { "png-with-a-broken-recipe", "gdm-recipe chunk is not a recipe: noise[0].sede" },
        { "jpeg", "the image is a JPEG" },
        { "gif", "not a PNG or JPEG image (it is a GIF)" },
        { "not-base64", "not valid base64" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task A_file_without_a_readable_recipe_is_a_400_naming_what_is_wrong(string kind, string expected)
    {
        var client = await api.Factory.ReadyClientAsync();
        var samples = new MalformedUploads(seed: 1);
        var pixels = Uploads.Quantise(Uploads.Pattern(0));
        object image = kind switch
        {
            "png-without-recipe" => Uploads.Base64(Uploads.Png(pixels)),
            "png-with-a-broken-recipe" => Uploads.Base64(PngWriter.Encode(pixels, Uploads.Shape, """{"noise":[{"sede":5}]}""")),
            "jpeg" => Uploads.Base64(samples.GoodJpeg),
            "gif" => Uploads.Base64("GIF89a\u0001\u0000\u0001\u0000"u8.ToArray()),
            _ => new { base64 = "not base64!" },
        };

        using var response = await client.PostAsync("/v1/recipes/read", new { image });
        var problem = await response.JsonObjectAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("image"), problem.ToJsonString());
        Assert.Contains(expected, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_an_image_or_with_an_unknown_member_is_a_400_naming_the_member()
    {
        var client = await api.Factory.ReadyClientAsync();
        using var empty = await client.PostAsync("/v1/recipes/read", new { });
        using var misspelt = await client.PostAsync("/v1/recipes/read", JsonNode.Parse("""{ "imgae": { "base64": "" } }""")!);

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True((await empty.JsonObjectAsync())["errors"]!.AsObject().ContainsKey("image"));
        Assert.Equal(HttpStatusCode.BadRequest, misspelt.StatusCode);
        Assert.True((await misspelt.JsonObjectAsync())["errors"]!.AsObject().ContainsKey("imgae"));
    }
}
