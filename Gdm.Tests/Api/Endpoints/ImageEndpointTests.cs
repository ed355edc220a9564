using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Images;
using Gdm.Tests.Api.Support;

namespace Gdm.Tests.Api.Endpoints;

public sealed class ImageEndpointTests(SharedApi api) : IClassFixture<SharedApi>
{
    [Fact]
    public async Task Replaying_a_returned_recipe_gives_the_same_png()
    {
        var client = await api.Factory.ReadyClientAsync();
        var made = await client.ImagesAsync("/v1/samples", new { count = 2, seed = 42, stepsPerGroup = new[] { 2 } });

        var recipeJson = JsonSerializer.Serialize(made.Images[1].Recipe, ApiCalls.Json);
        using var replay = new StringContent(recipeJson, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/samples", replay);
        var again = JsonSerializer.Deserialize<ImagesResponse>(await response.Content.ReadAsStringAsync(), ApiCalls.Json)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(made.Images[1].Png, again.Images[0].Png);
        Assert.NotEqual(made.Images[0].Png, made.Images[1].Png);
        Assert.Equal(43UL, made.Images[1].Recipe.Noise![0].Seed);
    }

    [Fact]
    public async Task A_client_that_accepts_image_png_gets_the_png_with_its_recipe_in_a_text_chunk()
    {
        var client = await api.Factory.ReadyClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/samples")
        {
            Content = JsonContent(new { seed = 3, stepsPerGroup = new[] { 2 } }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/png"));
        using var response = await client.SendAsync(request);
        var png = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var recipe = JsonNode.Parse(TextChunk(png, PngWriter.RecipeKeyword))!.AsObject();
        Assert.Equal(3UL, recipe["noise"]![0]!["seed"]!.GetValue<ulong>());
        var json = await client.ImagesAsync("/v1/samples", recipe);
        Assert.Equal(Convert.ToBase64String(png), json.Images[0].Png);
    }

    [Fact]
    public async Task A_variation_keeps_the_dct_coefficients_of_the_kept_groups_identical_to_its_source()
    {
        var client = await api.Factory.ReadyClientAsync();
        var grouping = TestModel.Manifest.ToProcess().Grouping;
        var source = (await client.ImagesAsync("/v1/samples", new { seed = 9, format = "coefficients" })).Images[0];

        var variations = await client.ImagesAsync("/v1/variations", new { source = new { recipe = source.Recipe }, fromGroup = 2, count = 2, seed = 100, format = "coefficients" });

        var kept = grouping.Groups.Take(2).SelectMany(g => g.Indices).ToArray();
        var redrawn = grouping.Groups.Skip(2).SelectMany(g => g.Indices).ToArray();
        var before = ApiCalls.Floats(source.Coefficients!);
        foreach (var variation in variations.Images)
        {
            var after = ApiCalls.Floats(variation.Coefficients!);
            Assert.All(kept, i => Assert.Equal(BitConverter.SingleToInt32Bits(before[i]), BitConverter.SingleToInt32Bits(after[i])));
            Assert.Contains(redrawn, i => before[i] != after[i]);
            Assert.Equal(2, variation.Recipe.Prefix!.FromGroup);
        }
    }

    [Fact]
    public async Task A_variation_recipe_replayed_without_the_recent_source_gives_the_same_image()
    {
        var client = await api.Factory.ReadyClientAsync();
        var source = (await client.ImagesAsync("/v1/samples", new { seed = 21 })).Images[0];
        var variation = (await client.ImagesAsync("/v1/variations", new { source = new { recipe = source.Recipe }, groups = new[] { 3, 1 }, strength = 0.5, seed = 5 })).Images[0];

        // A fresh service has no recent outputs: it remakes the source first, then starts the variation from its prefix.
        using var fresh = new GdmApiFactory();
        var freshClient = await fresh.ReadyClientAsync();
        var replayed = await freshClient.ImagesAsync("/v1/samples", variation.Recipe);

        Assert.Equal(variation.Png, replayed.Images[0].Png);
        Assert.Equal(1, variation.Recipe.Prefix!.FromGroup);
        Assert.Equal(0.5, variation.Recipe.Noise![3].Redraws![0].Strength);
    }

    [Fact]
    public async Task An_explicit_latent_makes_the_same_image_as_its_seeds_and_varies_like_a_recipe()
    {
        var client = await api.Factory.ReadyClientAsync();
        var grouping = TestModel.Manifest.ToProcess().Grouping;
        var latent = Gdm.Core.Latents.LatentRecipe.FromSeed(31, grouping.Count).Realise(grouping);
        var encoded = Gdm.Api.Endpoints.RecipeMapping.EncodeFloats(latent);

        var fromSeed = (await client.ImagesAsync("/v1/samples", new { seed = 31, format = "coefficients" })).Images[0];
        var fromLatent = (await client.ImagesAsync("/v1/samples", new { latent = encoded, format = "coefficients" })).Images[0];
        var varied = (await client.ImagesAsync("/v1/variations", new { source = new { recipe = fromLatent.Recipe }, fromGroup = 3, seed = 8, format = "coefficients" })).Images[0];

        Assert.Equal(fromSeed.Coefficients, fromLatent.Coefficients);
        Assert.Equal(encoded, fromLatent.Recipe.Latent);
        Assert.NotNull(varied.Recipe.Latent);
        var before = ApiCalls.Floats(fromLatent.Coefficients!);
        var after = ApiCalls.Floats(varied.Coefficients!);
        Assert.All(grouping.Groups.Take(3).SelectMany(g => g.Indices), i => Assert.Equal(before[i], after[i]));
        var replayed = (await client.ImagesAsync("/v1/samples", varied.Recipe with { })).Images;
        Assert.Equal(varied.Recipe.Latent, replayed[0].Recipe.Latent);
    }

    [Fact]
    public async Task A_prefix_given_as_coefficients_is_kept_exactly_and_its_recipe_replays()
    {
        var client = await api.Factory.ReadyClientAsync();
        var grouping = TestModel.Manifest.ToProcess().Grouping;
        var image = (await client.ImagesAsync("/v1/samples", new { seed = 12, format = "coefficients" })).Images[0];
        var noise = Enumerable.Range(0, grouping.Count).Select(_ => new { seed = 50 }).ToArray();

        var body = new { noise, prefix = new { fromGroup = 2, coefficients = image.Coefficients }, format = "coefficients" };
        var made = (await client.ImagesAsync("/v1/samples", body)).Images[0];
        var replayed = (await client.ImagesAsync("/v1/samples", new { noise, prefix = made.Recipe.Prefix, format = "coefficients" })).Images[0];

        var before = ApiCalls.Floats(image.Coefficients!);
        var after = ApiCalls.Floats(made.Coefficients!);
        Assert.All(grouping.Groups.Take(2).SelectMany(g => g.Indices), i => Assert.Equal(before[i], after[i]));
        Assert.Equal(made.Coefficients, replayed.Coefficients);
        Assert.Equal(image.Coefficients, made.Recipe.Prefix!.Coefficients);
    }

    [Fact]
    public async Task Models_lists_shape_transform_grouping_and_every_group()
    {
        var client = await api.Factory.ReadyClientAsync();
        var models = await client.GetFromJsonAsync<ModelsResponse>("/v1/models", ApiCalls.Json);

        var model = Assert.Single(models!.Models);
        var manifest = TestModel.Manifest;
        Assert.Equal(manifest.Name, model.Name);
        Assert.Equal(manifest.Image.Height, model.Shape.Height);
        Assert.Equal("dct", model.Transform);
        Assert.Equal(manifest.ToProcess().Grouping.Count, model.Groups.Count);
        Assert.Equal(Enumerable.Range(0, model.Groups.Count), model.Groups.Select(g => g.Index));
        Assert.Equal(manifest.Image.Height * manifest.Image.Width * manifest.Image.Channels, model.Groups.Sum(g => g.Size));
        Assert.Equal(1.0, model.Groups[0].Interval.End);
        Assert.Equal(0.0, model.Groups[^1].Interval.Start);
    }

    internal static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, ApiCalls.Json), Encoding.UTF8, "application/json");

    // Chunks after the 8-byte signature: length, type, data, CRC.
    private static string TextChunk(byte[] png, string keyword)
    {
        for (var offset = 8; offset + 8 <= png.Length;)
        {
            var length = (png[offset] << 24) | (png[offset + 1] << 16) | (png[offset + 2] << 8) | png[offset + 3];
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            if (type == "tEXt")
            {
                var data = png.AsSpan(offset + 8, length);
                var zero = data.IndexOf((byte)0);
                if (Encoding.Latin1.GetString(data[..zero]) == keyword)
                    return Encoding.Latin1.GetString(data[(zero + 1)..]);
            }

            offset += 12 + length;
        }

        throw new Xunit.Sdk.XunitException($"no tEXt chunk '{keyword}'");
    }
}

/// <summary>One service shared by tests that only read from it.</summary>
public sealed class SharedApi : IDisposable
{
    public GdmApiFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}
