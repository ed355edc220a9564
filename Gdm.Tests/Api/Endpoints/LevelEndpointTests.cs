using System.Net;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Tests.Api.Endpoints;

public sealed class LevelEndpointTests(SharedApi api) : IClassFixture<SharedApi>
{
    [Fact]
    public async Task The_levels_of_a_recipe_are_the_parts_of_its_own_image_one_png_per_group()
    {
        var client = await api.Factory.ReadyClientAsync();
        var sample = (await client.ImagesAsync("/v1/samples", new { seed = 11, format = "coefficients" })).Images[0];
        var expected = LevelPictures.Of(Uploads.Process, ApiCalls.Floats(sample.Coefficients!));

        var levels = await client.ReadAsync<LevelsResponse>("/v1/levels", new { source = new { recipe = sample.Recipe } });

        Assert.Equal(Uploads.Process.Grouping.Groups.Select(g => g.Name), levels.Levels.Select(l => l.Name));
        foreach (var level in levels.Levels)
        {
            Assert.Equal(expected[level.Group].Peak, level.Peak, 1e-9);
            using var png = Image.Load<L8>(Convert.FromBase64String(level.Png));
            var bytes = new byte[png.Width * png.Height];
            png.CopyPixelDataTo(bytes);
            Assert.Equal(expected[level.Group].Levels(), bytes);
        }
    }

    [Fact]
    public async Task The_levels_of_an_upload_are_drawn_from_its_converted_pixels_and_a_missing_source_is_400()
    {
        var client = await api.Factory.ReadyClientAsync();
        var pixels = Uploads.Pattern(0.3);
        var expected = LevelPictures.Of(Uploads.Process, Uploads.Coefficients(Uploads.Dequantise(Uploads.Quantise(pixels))));

        var levels = await client.ReadAsync<LevelsResponse>("/v1/levels", new { source = new { image = Uploads.Base64(Uploads.Png(Uploads.Quantise(pixels))) } });

        Assert.Equal(expected.Select(p => p.Peak), levels.Levels.Select(l => l.Peak), (a, b) => Math.Abs(a - b) < 1e-6);
        using var missing = await client.PostAsync("/v1/levels", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }
}
