using Gdm.Api.Endpoints.Contracts;
using Gdm.Core.Latents;

namespace Gdm.Tests.Api.Endpoints;

public sealed class InterpolateTests(SharedApi api) : IClassFixture<SharedApi>
{
    private static int Groups => Uploads.Process.Grouping.Count;

    [Fact]
    public async Task Frame_0_is_a_bit_for_bit_the_kept_groups_are_as_and_the_last_frame_takes_bs_latent()
    {
        var client = await api.Factory.ReadyClientAsync();
        var a = (await client.ImagesAsync("/v1/samples", new { seed = 71, stepsPerGroup = new[] { 2 } })).Images[0];
        var b = (await client.ImagesAsync("/v1/samples", new { seed = 72, stepsPerGroup = new[] { 2 } })).Images[0];
        const int fromGroup = 2, frames = 4;

        var made = await client.ImagesAsync("/v1/interpolate", new { sources = new[] { new { recipe = a.Recipe }, new { recipe = b.Recipe } }, fromGroup, frames });
        var coefficients = await client.ImagesAsync("/v1/interpolate",
            new { sources = new[] { new { recipe = a.Recipe }, new { recipe = b.Recipe } }, fromGroup, frames, format = "coefficients" });
        var aCoefficients = ApiCalls.Floats((await client.ImagesAsync("/v1/samples", new { a.Recipe.Noise, a.Recipe.StepsPerGroup, format = "coefficients" })).Images[0].Coefficients!);

        Assert.Equal(frames, made.Images.Count);
        Assert.Equal(RecipeReplayTests.PixelsSha256(Convert.FromBase64String(a.Png!)), RecipeReplayTests.PixelsSha256(Convert.FromBase64String(made.Images[0].Png!)));
        Assert.Equal(ApiCalls.Floats(coefficients.Images[0].Coefficients!), aCoefficients);
        var grouping = Uploads.Process.Grouping;
        var bLatent = LatentRecipe.FromSeed(72, Groups).Realise(grouping);
        var aLatent = LatentRecipe.FromSeed(71, Groups).Realise(grouping);
        var last = ApiCalls.Floats(made.Images[^1].Recipe.Latent!);
        Assert.All(Uploads.Indices(fromGroup, Groups), i => Assert.Equal(bLatent[i], last[i]));
        Assert.All(Uploads.Indices(0, fromGroup), i => Assert.Equal(aLatent[i], last[i]));
        foreach (var frame in coefficients.Images)
        {
            var values = ApiCalls.Floats(frame.Coefficients!);
            Assert.All(Uploads.Indices(0, fromGroup), i => Assert.Equal(aCoefficients[i], values[i]));
            Assert.Equal(fromGroup, frame.Recipe.Prefix!.FromGroup);
        }

        Assert.NotEqual(coefficients.Images[1].Coefficients, coefficients.Images[2].Coefficients);
    }

    [Fact]
    public async Task Interpolate_runs_as_a_job_too()
    {
        var client = await api.Factory.ReadyClientAsync();
        var seeds = (ulong s) => Enumerable.Range(0, Groups).Select(_ => new { seed = s }).ToArray();
        var location = await client.StartJobAsync(new
        {
            interpolate = new { sources = new[] { new { recipe = new { noise = seeds(3), stepsPerGroup = new[] { 1 } } }, new { recipe = new { noise = seeds(4), stepsPerGroup = new[] { 1 } } } }, frames = 3 },
        });

        var job = await client.FinishJobAsync(location);

        Assert.Equal(("succeeded", "interpolate"), (job.Status, job.Kind));
        Assert.Equal(3, job.Result<ImagesResponse>().Images.Count);
    }
}

public sealed class SlerpTests
{
    [Fact]
    public void Slerp_keeps_the_groups_below_and_ends_exactly_at_both_latents()
    {
        var grouping = Uploads.Process.Grouping;
        var a = LatentRecipe.FromSeed(1, grouping.Count).Realise(grouping);
        var b = LatentRecipe.FromSeed(2, grouping.Count).Realise(grouping);

        Assert.Equal(a, LatentEdits.Slerp(a, b, grouping, 1, 0));
        var end = LatentEdits.Slerp(a, b, grouping, 1, 1);
        Assert.All(Uploads.Indices(1, grouping.Count), i => Assert.Equal(b[i], end[i]));
        var middle = LatentEdits.Slerp(a, b, grouping, 1, 0.5);
        Assert.All(Uploads.Indices(0, 1), i => Assert.Equal(a[i], middle[i]));
        // The norm stays between the two (a linear blend of near-orthogonal Gaussians would shrink it by about 1/sqrt 2).
        double Norm(float[] v) => Math.Sqrt(Uploads.Indices(1, grouping.Count).Sum(i => (double)v[i] * v[i]));
        Assert.InRange(Norm(middle), Math.Min(Norm(a), Norm(b)) * 0.95, Math.Max(Norm(a), Norm(b)) * 1.05);
    }
}
