using System.Net.Http.Headers;
using Gdm.Api.Endpoints;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Tests.Api.Endpoints;

public sealed class EditingEndpointTests(SharedApi api) : IClassFixture<SharedApi>
{
    // Measured on the test model (heun, 8 steps per group): 52.8 dB for the sample of seed 2, 48 to 72 dB over
    // samples and Fashion-MNIST test images; euler at the same steps gives 17 to 31 dB.
    private const double EncodePsnrBoundDb = 50;

    private static int Groups => Uploads.Process.Grouping.Count;

    [Fact]
    public async Task Encoding_a_sample_png_and_decoding_its_latent_reaches_50_db()
    {
        var client = await api.Factory.ReadyClientAsync();
        var png = Convert.FromBase64String((await client.ImagesAsync("/v1/samples", new { seed = 2 })).Images[0].Png!);

        var encoded = await client.ReadAsync<EncodeResponse>("/v1/encode", new { image = Uploads.Base64(png), format = "pixels" });

        Assert.True(encoded.ReconstructionPsnrDb >= EncodePsnrBoundDb, $"encode then decode reached {encoded.ReconstructionPsnrDb} dB");
        var reconstruction = ApiCalls.Floats(encoded.Reconstruction.Pixels!);
        var input = Uploads.Dequantise(PngLevels(png));
        var mse = input.Zip(reconstruction, (a, b) => Math.Pow(Math.Clamp(b, -1, 1) - a, 2)).Average();
        Assert.InRange(encoded.ReconstructionPsnrDb - 10 * Math.Log10(2 * 2 / mse), -0.01, 0.01);
        Assert.Equal(SamplerKind.Heun, encoded.Recipe.Sampler);
        Assert.NotNull(encoded.Recipe.Latent);
        Assert.Equal("png", encoded.Upload.Format);
        // The latent is a recipe like any other: /v1/samples decodes it to the same reconstruction.
        var decoded = await ReplayAsync(client, encoded.Recipe, "pixels");
        Assert.Equal(encoded.Reconstruction.Pixels, decoded.Pixels);
    }

    [Fact]
    public async Task Variations_of_an_uploaded_png_keep_its_kept_groups_dct_coefficients_within_its_8_bit_quantisation()
    {
        var client = await api.Factory.ReadyClientAsync();
        var original = Uploads.Pattern(0.3);
        var levels = Uploads.Quantise(original);
        const int fromGroup = 2;

        var variations = await client.ReadAsync<ImagesResponse>("/v1/variations",
            Uploads.Form(new { source = new { image = new { file = 0 } }, fromGroup, count = 2, seed = 4, format = "coefficients" }, Uploads.Png(levels)));

        // Parseval: the kept groups' coefficients move by at most the quantisation error of the whole image.
        var quantisation = Math.Sqrt(original.Zip(Uploads.Dequantise(levels), (a, b) => Math.Pow(a - b, 2)).Sum());
        Assert.True(quantisation <= Math.Sqrt(original.Length) * Uploads.Level / 2 + 1e-6);
        var kept = Uploads.Indices(0, fromGroup);
        var redrawn = Uploads.Indices(fromGroup, Groups);
        var before = Uploads.Coefficients(original);
        var upload = Uploads.Coefficients(Uploads.Dequantise(levels));
        var outputs = variations.Images.Select(i => ApiCalls.Floats(i.Coefficients!)).ToArray();
        foreach (var after in outputs)
        {
            Assert.True(Math.Sqrt(kept.Sum(i => Math.Pow(after[i] - before[i], 2))) <= quantisation + 1e-5);
            Assert.All(kept, i => Assert.Equal(upload[i], after[i], 1e-5f));
        }

        Assert.Contains(redrawn, i => outputs[0][i] != outputs[1][i]);
        Assert.Equal("source.image", Assert.Single(variations.Uploads!).Field);
        // Each result's recipe carries the upload's coefficients as its prefix and replays without the upload.
        var replayed = await ReplayAsync(client, variations.Images[1].Recipe, "coefficients");
        Assert.Equal(variations.Images[1].Coefficients, replayed.Coefficients);
        Assert.Equal(fromGroup, variations.Images[1].Recipe.Prefix!.FromGroup);
    }

    [Fact]
    public async Task A_mix_takes_each_group_from_the_source_it_names()
    {
        var client = await api.Factory.ReadyClientAsync();
        var grouping = Uploads.Process.Grouping;
        var levels = Uploads.Quantise(Uploads.Pattern(-0.4));
        var seeds = Enumerable.Range(0, Groups).Select(_ => new { seed = 41 }).ToArray();
        var explicitLatent = LatentRecipe.FromSeed(42, Groups).Realise(grouping);
        int[] groupSources = [0, 0, .. Enumerable.Range(2, Groups - 2).Select(g => 1 + g % 2)];

        var mixed = (await client.ReadAsync<ImagesResponse>("/v1/mix", new
        {
            sources = new object[]
            {
                new { image = Uploads.Base64(Uploads.Png(levels)) },
                new { recipe = new { noise = seeds } },
                new { recipe = new { latent = RecipeMapping.EncodeFloats(explicitLatent) } },
            },
            groupSources,
            format = "coefficients",
        })).Images[0];

        // Groups 0 and 1: the upload's own coefficients, kept as the prefix. Later groups: the named source's latent eps.
        var coefficients = ApiCalls.Floats(mixed.Coefficients!);
        var upload = Uploads.Coefficients(Uploads.Dequantise(levels));
        Assert.All(Uploads.Indices(0, 2), i => Assert.Equal(upload[i], coefficients[i], 1e-5f));
        Assert.Equal(2, mixed.Recipe.Prefix!.FromGroup);
        var latent = ApiCalls.Floats(mixed.Recipe.Latent!);
        var seeded = LatentRecipe.FromSeed(41, Groups).Realise(grouping);
        for (var g = 2; g < Groups; g++)
        {
            var named = groupSources[g] == 1 ? seeded : explicitLatent;
            Assert.All(grouping.Groups[g].Indices, i => Assert.Equal(named[i], latent[i]));
        }

        var replayed = await ReplayAsync(client, mixed.Recipe, "coefficients");
        Assert.Equal(mixed.Coefficients, replayed.Coefficients);
    }

    [Fact]
    public async Task A_mix_keeps_a_leading_recipe_finished_and_takes_later_groups_from_an_uploads_encoded_latent()
    {
        var client = await api.Factory.ReadyClientAsync();
        var grouping = Uploads.Process.Grouping;
        var png = Uploads.Png(Uploads.Quantise(Uploads.Pattern(0.1)));
        var noise = Enumerable.Range(0, Groups).Select(_ => new { seed = 51 }).ToArray();
        var source = (await client.ImagesAsync("/v1/samples", new { noise, format = "coefficients" })).Images[0];
        var encoded = await client.ReadAsync<EncodeResponse>("/v1/encode", Uploads.Form(new { image = new { file = 0 } }, png));

        var mixed = (await client.ReadAsync<ImagesResponse>("/v1/mix", Uploads.Form(new
        {
            sources = new object[] { new { recipe = source.Recipe }, new { image = new { file = 0 } } },
            groupSources = Enumerable.Range(0, Groups).Select(g => g < 3 ? 0 : 1).ToArray(),
            format = "coefficients",
        }, png))).Images[0];

        var before = ApiCalls.Floats(source.Coefficients!);
        var after = ApiCalls.Floats(mixed.Coefficients!);
        Assert.All(Uploads.Indices(0, 3), i => Assert.Equal(before[i], after[i]));
        var encodedLatent = ApiCalls.Floats(encoded.Recipe.Latent!);
        var latent = ApiCalls.Floats(mixed.Recipe.Latent!);
        Assert.All(Uploads.Indices(3, Groups), i => Assert.Equal(encodedLatent[i], latent[i], 1e-4f));
        var seeded = LatentRecipe.FromSeed(51, Groups).Realise(grouping);
        Assert.All(Uploads.Indices(0, 3), i => Assert.Equal(seeded[i], latent[i]));
        Assert.Equal(SamplerKind.Heun, mixed.Recipe.Sampler);
    }

    [Fact]
    public async Task A_traversal_changes_only_the_chosen_groups_latent_and_returns_the_strip_as_one_png()
    {
        var client = await api.Factory.ReadyClientAsync();
        var grouping = Uploads.Process.Grouping;
        var noise = Enumerable.Range(0, Groups).Select(_ => new { seed = 61 }).ToArray();
        var source = (await client.ImagesAsync("/v1/samples", new { noise, format = "coefficients" })).Images[0];
        float[] values = [-2, 0, 2.5f];
        const int group = 1, coordinate = 2;

        var traversal = await client.ReadAsync<TraverseResponse>("/v1/traverse",
            new { source = new { recipe = source.Recipe }, group, coordinate, values, format = "coefficients" });

        var moved = grouping.Groups[group].Indices[coordinate];
        var eps = LatentRecipe.FromSeed(61, Groups).Realise(grouping);
        var before = ApiCalls.Floats(source.Coefficients!);
        for (var n = 0; n < values.Length; n++)
        {
            var latent = ApiCalls.Floats(traversal.Images[n].Recipe.Latent!);
            Assert.Equal(values[n], latent[moved]);
            Assert.All(Enumerable.Range(0, eps.Length).Where(i => i != moved), i => Assert.Equal(eps[i], latent[i]));
            var after = ApiCalls.Floats(traversal.Images[n].Coefficients!);
            Assert.All(Uploads.Indices(0, group), i => Assert.Equal(before[i], after[i]));
        }

        Assert.NotEqual(traversal.Images[0].Coefficients, traversal.Images[2].Coefficients);
        using var grid = Image.Load<L8>(Convert.FromBase64String(traversal.Grid));
        Assert.Equal((values.Length * Uploads.Shape.Width + (values.Length - 1) * Gdm.Api.Images.ImageStrip.GapPixels, Uploads.Shape.Height), (grid.Width, grid.Height));
    }

    [Fact]
    public async Task A_traversal_of_an_upload_answers_the_strip_png_to_a_client_that_accepts_image_png()
    {
        var client = await api.Factory.ReadyClientAsync();
        var png = Uploads.Png(Uploads.Quantise(Uploads.Pattern(0.2)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traverse")
        {
            Content = Uploads.Form(new { source = new { image = new { file = 0 } }, values = new[] { -1, 1 }, stepsPerGroup = new[] { 2 } }, png),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/png"));
        using var response = await client.SendAsync(request);

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        using var grid = Image.Load<L8>(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(2 * Uploads.Shape.Width + Gdm.Api.Images.ImageStrip.GapPixels, grid.Width);
    }

    [Fact]
    public async Task An_upload_is_encoded_as_a_job_with_progress_to_its_end()
    {
        var client = await api.Factory.ReadyClientAsync();
        var png = Uploads.Png(Uploads.Quantise(Uploads.Pattern(0)));
        using var created = await client.PostAsync("/v1/jobs", Uploads.Form(new { encode = new { image = new { file = 0 }, stepsPerGroup = new[] { 2 } } }, png));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, created.StatusCode);

        var job = await client.FinishJobAsync(created.Headers.Location!.ToString());

        Assert.Equal("succeeded", job.Status);
        Assert.Equal("encode", job.Kind);
        // Inversion and decode: heun, 2 steps per group, 2 evaluations a step, each way.
        Assert.Equal(2 * 2 * 2 * Groups, job.Progress.EvaluationsTotal);
        Assert.Equal(job.Progress.EvaluationsTotal, job.Progress.EvaluationsDone);
        Assert.NotNull(job.Result<EncodeResponse>().Recipe.Latent);
    }

    [Fact]
    public async Task A_traversal_of_an_upload_at_group_g_inverts_and_decodes_only_the_groups_from_g()
    {
        var client = await api.Factory.ReadyClientAsync();
        var png = Uploads.Png(Uploads.Quantise(Uploads.Pattern(0.3)));
        const int group = 2;
        var traverse = new { source = new { image = new { file = 0 } }, group, coordinate = 0, values = new[] { -1, 1 }, stepsPerGroup = new[] { 2 }, sampler = "heun" };
        using var created = await client.PostAsync("/v1/jobs", Uploads.Form(new { traverse }, png));

        var job = await client.FinishJobAsync(created.Headers.Location!.ToString());

        Assert.Equal("succeeded", job.Status);
        // The inversion stops at e_g and each of the two images starts there: 2 heun steps of 2 evaluations per group.
        Assert.Equal((1 + 2) * 2 * 2 * (Groups - group), job.Progress.EvaluationsTotal);
        Assert.All(job.Result<TraverseResponse>().Images, image => Assert.Equal(group, image.Recipe.Prefix!.FromGroup));
    }

    private static byte[] PngLevels(byte[] png)
    {
        using var image = Image.Load<L8>(png);
        var levels = new byte[image.Width * image.Height];
        image.CopyPixelDataTo(levels);
        return levels;
    }

    // A returned recipe posted to /v1/samples as it stands, in the asked format.
    private static async Task<ImageResult> ReplayAsync(HttpClient client, RecipeDocument recipe, string format) =>
        (await client.ImagesAsync("/v1/samples", new
        {
            noise = recipe.Noise,
            latent = recipe.Latent,
            stepsPerGroup = recipe.StepsPerGroup,
            sampler = recipe.Sampler,
            prefix = recipe.Prefix,
            format,
        })).Images[0];
}
