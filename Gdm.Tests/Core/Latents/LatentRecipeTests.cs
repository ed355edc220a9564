using Gdm.Core;
using Gdm.Core.Grouping;
using Gdm.Core.Latents;

namespace Gdm.Tests.Core.Latents;

public sealed class LatentRecipeTests
{
    private static readonly CoefficientGrouping Bands = CoefficientGrouping.DctBands(new ImageShape(1, 28, 28));

    [Fact]
    public void Redrawing_some_groups_keeps_the_others_bit_identical()
    {
        var recipe = LatentRecipe.FromSeed(3, Bands.Count);
        var original = recipe.Realise(Bands);
        var redrawn = recipe.Redraw([2, 4], seed: 8, strength: 0.5).Realise(Bands);
        foreach (var group in Bands.Groups)
        {
            var same = group.Indices.All(i => original[i] == redrawn[i]);
            Assert.Equal(group.Index is not (2 or 4), same);
        }
    }

    [Fact]
    public void Strength_0_is_the_source_and_strength_1_is_exactly_the_new_seeds_noise()
    {
        var recipe = LatentRecipe.FromSeed(3, Bands.Count);
        Assert.Equal(recipe.Realise(Bands), recipe.Redraw([1], 9, 0).Realise(Bands));
        var full = recipe.Redraw(Enumerable.Range(0, Bands.Count), 9, 1).Realise(Bands);
        Assert.Equal(LatentRecipe.FromSeed(9, Bands.Count).Realise(Bands), full);
    }

    [Fact]
    public void A_partial_redraw_keeps_unit_variance()
    {
        var recipe = LatentRecipe.FromSeed(5, Bands.Count).Redraw([5], 6, 0.3);
        var group = Bands.Groups[5];
        var variance = 0.0;
        for (ulong seed = 0; seed < 40; seed++)
        {
            var latent = LatentRecipe.FromSeed(seed, Bands.Count).Redraw([5], seed + 1000, 0.3).Realise(Bands);
            variance += group.Indices.Sum(i => (double)latent[i] * latent[i]) / group.Size / 40;
        }

        Assert.Equal(1.0, variance, 0.03);
        Assert.Single(recipe.Groups[5].Redraws);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Strength_outside_0_to_1_is_refused(double strength) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LatentRecipe.FromSeed(1, Bands.Count).Redraw([0], 2, strength));

    [Fact]
    public void A_recipe_for_another_number_of_groups_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => LatentRecipe.FromSeed(1, 3).Realise(Bands));
        Assert.Contains("3 groups", error.Message);
    }
}
