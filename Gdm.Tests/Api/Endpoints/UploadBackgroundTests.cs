using System.Net;
using System.Text.Json.Nodes;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Tests.Api.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Tests.Api.Endpoints;

public sealed class UploadBackgroundTests(SharedApi api) : IClassFixture<SharedApi>
{
    // A dark garment photographed on white, as an 8-bit grey PNG.
    private static byte[] GarmentOnWhite()
    {
        using var image = new Image<L8>(28, 28, new L8(245));
        for (var y = 5; y < 23; y++)
            for (var x = 8; x < 20; x++)
                image[x, y] = new L8(50);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(null, true, "inverted: the border is light")]
    [InlineData("auto", true, "inverted: the border is light")]
    [InlineData("keep", false, "not inverted (background keep)")]
    [InlineData("invert", true, "inverted (background invert)")]
    public async Task An_upload_on_a_light_background_is_inverted_unless_told_to_keep_it_and_the_report_says_which(string? background, bool inverted, string step)
    {
        var client = await api.Factory.ReadyClientAsync();
        var image = new JsonObject { ["base64"] = Convert.ToBase64String(GarmentOnWhite()) };
        if (background is not null)
            image["background"] = background;

        var encoded = await client.ReadAsync<EncodeResponse>("/v1/encode", new JsonObject { ["image"] = image, ["stepsPerGroup"] = new JsonArray(1), ["sampler"] = "euler" });

        Assert.Equal(inverted, encoded.Upload.Inverted);
        Assert.Contains(step, encoded.Upload.Steps, StringComparison.Ordinal);
        Assert.DoesNotContain("grey", encoded.Upload.Steps, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_background_word_that_does_not_exist_is_a_400_listing_the_allowed_ones()
    {
        var client = await api.Factory.ReadyClientAsync();
        using var response = await client.PostAsync("/v1/encode", JsonNode.Parse("""{ "image": { "base64": "", "background": "negate" } }""")!);
        var problem = await response.JsonObjectAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = problem["errors"]!["image.background"]![0]!.GetValue<string>();
        Assert.Contains("auto", message, StringComparison.Ordinal);
        Assert.Contains("invert", message, StringComparison.Ordinal);
    }
}
