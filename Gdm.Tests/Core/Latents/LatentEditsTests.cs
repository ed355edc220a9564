using Gdm.Core;
using Gdm.Core.Grouping;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Tests.Core.Latents;

public sealed class LatentEditsTests
{
    private static readonly CoefficientGrouping Bands = CoefficientGrouping.DctBands(new ImageShape(1, 8, 8));

    [Fact]
    public void A_slerp_of_any_two_accepted_latents_reads_back_as_a_recipe()
    {
        // Finite latents near float32's limit: their weighted sum must not overflow to infinity.
        var size = Bands.Shape.Size;
        var rules = new RecipeRules("m", "0123456789ab", Bands.Count, size, Enumerable.Repeat(1, Bands.Count).ToArray(),
            GridSpacing.Uniform, SamplerKind.Euler, HasGroupStds: false, HasOverlap: false, MaxStepsPerGroup: 10, MaxPrefixDepth: 4);
        var errors = new List<FieldError>();
        var a = rules.CheckValues(RecipeJson.EncodeFloats(Enumerable.Repeat(3e38f, size).ToArray()), "a", errors)!;
        var b = rules.CheckValues(RecipeJson.EncodeFloats(Enumerable.Range(0, size).Select(i => i % 2 == 0 ? 3e38f : -3e38f).ToArray()), "b", errors)!;
        Assert.Empty(errors);

        var frame = LatentEdits.Slerp(a, b, Bands, fromGroup: 0, t: 0.5);
        var recipe = new ImageRecipe("m", new RecipeLatent.Explicit(frame), Enumerable.Repeat(1, Bands.Count).ToArray(), SamplerKind.Euler);
        var again = rules.Check(RecipeJson.Deserialize(RecipeJson.Serialize(recipe))!, "", errors);

        Assert.All(frame, v => Assert.True(float.IsFinite(v)));
        Assert.Empty(errors);
        Assert.NotNull(again);
    }

    [Fact]
    public void Compose_takes_each_group_from_the_source_it_names()
    {
        var a = LatentRecipe.FromSeed(1, Bands.Count).Realise(Bands);
        var b = LatentRecipe.FromSeed(2, Bands.Count).Realise(Bands);
        var mixed = LatentEdits.Compose(Bands, [a, b], [0, 0, 1, 1]);
        foreach (var group in Bands.Groups)
            foreach (var i in group.Indices)
                Assert.Equal(group.Index < 2 ? a[i] : b[i], mixed[i]);
    }

    [Fact]
    public void Compose_refuses_a_source_index_that_does_not_exist()
    {
        var a = LatentRecipe.FromSeed(1, Bands.Count).Realise(Bands);
        Assert.Throws<ArgumentOutOfRangeException>(() => LatentEdits.Compose(Bands, [a], [0, 0, 1, 0]));
    }

    [Fact]
    public void Moving_one_coordinate_changes_that_coefficient_only()
    {
        var latent = LatentRecipe.FromSeed(1, Bands.Count).Realise(Bands);
        var moved = LatentEdits.WithCoordinate(latent, Bands, group: 1, coordinate: 2, value: 2.5f);
        var changed = Enumerable.Range(0, latent.Length).Where(i => latent[i] != moved[i]).ToArray();
        Assert.Equal([Bands.Groups[1].Indices[2]], changed);
        Assert.Equal(2.5f, moved[changed[0]]);
    }

    [Fact]
    public void Redraw_of_an_explicit_latent_matches_the_recipe_redraw()
    {
        var recipe = LatentRecipe.FromSeed(4, Bands.Count);
        var explicitRedraw = LatentEdits.Redraw(recipe.Realise(Bands), Bands, [1, 3], seed: 10, strength: 0.7);
        Assert.Equal(recipe.Redraw([1, 3], 10, 0.7).Realise(Bands), explicitRedraw);
    }

    [Fact]
    public void Prefix_state_holds_finished_groups_before_g_and_noise_from_g_on()
    {
        var finished = Enumerable.Range(0, 64).Select(i => (float)i).ToArray();
        var latent = LatentRecipe.FromSeed(4, Bands.Count).Realise(Bands);
        var state = LatentEdits.PrefixState(Bands, finished, latent, firstGroup: 2);
        for (var i = 0; i < 64; i++)
            Assert.Equal(Bands.GroupOf(i) < 2 ? finished[i] : latent[i], state[i]);
    }
}
