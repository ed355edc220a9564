using Gdm.Core.Latents;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Tests.Core.Latents;

public sealed class RecipeJsonTests
{
    private static readonly RecipeRules Rules = new(
        "m", "0123456789ab", 3, 4, [2, 2, 2], GridSpacing.Warped(1), SamplerKind.HeunEulerLast, HasGroupStds: true,
        HasOverlap: false, MaxStepsPerGroup: 10, MaxPrefixDepth: 4);

    private static readonly ImageRecipe Seeded = new(
        "m", new RecipeLatent.Seeded(LatentRecipe.FromSeed(7, 3).Redraw([1, 2], 9, 0.25)), [2, 3, 4], SamplerKind.Heun);

    [Fact]
    public void A_recipe_written_and_checked_again_is_the_same_json_and_key()
    {
        var variation = new ImageRecipe("m", new RecipeLatent.Explicit([1f, -2.5f, 0f, 3f]), [1, 1, 1], SamplerKind.Euler, new PrefixStart.OfRecipe(1, Seeded));
        var coefficients = Seeded with { Prefix = new PrefixStart.OfCoefficients(2, [0.5f, 0.25f, 0f, -1f]) };
        foreach (var recipe in new[] { Seeded, variation, coefficients })
        {
            var json = RecipeJson.Serialize(recipe);
            var errors = new List<FieldError>();
            var again = Rules.Check(RecipeJson.Deserialize(json)!, "", errors);

            Assert.Empty(errors);
            Assert.Equal(json, RecipeJson.Serialize(again!));
            Assert.Equal(recipe.Key(), again!.Key());
        }
    }

    [Fact]
    public void The_canonical_json_is_the_form_recipes_were_handed_out_in()
    {
        Assert.Equal(
            """{"model":"m","noise":[{"seed":7},{"seed":7,"redraws":[{"seed":9,"strength":0.25}]},{"seed":7,"redraws":[{"seed":9,"strength":0.25}]}],"stepsPerGroup":[2,3,4],"sampler":"heun"}""",
            RecipeJson.Serialize(Seeded));
    }

    [Fact]
    public void A_recipe_from_before_versions_stays_one_without_version_uniform_grid_and_evaluation_time_visibility()
    {
        var errors = new List<FieldError>();
        var old = Rules.Check(RecipeJson.Deserialize("""{"model":"m","noise":[{"seed":7},{"seed":7},{"seed":7}]}""")!, "", errors)!;

        Assert.Empty(errors);
        Assert.Null(old.Version);
        Assert.Equal(GridSpacing.Uniform, old.Grid);
        Assert.Equal(CausalVisibility.EvaluationTime, old.Visibility);
        Assert.Equal(SamplerKind.Euler, old.Sampler);
        Assert.DoesNotContain("version", RecipeJson.Serialize(old), StringComparison.Ordinal);
    }

    [Fact]
    public void A_recipe_naming_its_grid_gets_the_version_and_the_version_defaults_and_writes_both()
    {
        var errors = new List<FieldError>();
        var recipe = Rules.Check(RecipeJson.Deserialize("""{"model":"m","grid":"uniform","noise":[{"seed":7},{"seed":7},{"seed":7}]}""")!, "", errors)!;
        var defaulted = Rules.Check(RecipeJson.Deserialize("""{"version":"0123456789ab","noise":[{"seed":7},{"seed":7},{"seed":7}]}""")!, "", errors)!;

        Assert.Empty(errors);
        Assert.Equal(new RecipeVersion("0123456789ab", GridSpacing.Uniform), recipe.Version);
        Assert.Equal(CausalVisibility.Step, recipe.Visibility);
        Assert.Equal(SamplerKind.HeunEulerLast, recipe.Sampler);
        Assert.Equal(GridSpacing.Warped(1), defaulted.Grid);
        Assert.StartsWith("""{"model":"m","version":"0123456789ab","grid":"band-warp:1","noise":""", RecipeJson.Serialize(defaulted), StringComparison.Ordinal);
        Assert.NotEqual(recipe.Key(), (recipe with { Version = null }).Key());
    }

    [Fact]
    public void A_prefix_source_without_version_was_made_with_its_recipes_version()
    {
        var errors = new List<FieldError>();
        var json = """{"version":"0123456789ab","grid":"uniform","latent":"AAAAAAAAAAAAAAAAAAAAAA==","prefix":{"fromGroup":1,"source":{"noise":[{"seed":1},{"seed":1},{"seed":1}]}}}""";
        var recipe = Rules.Check(RecipeJson.Deserialize(json)!, "", errors)!;

        Assert.Empty(errors);
        Assert.Equal(recipe.Version, ((PrefixStart.OfRecipe)recipe.Prefix!).Source.Version);
        var again = Rules.Check(RecipeJson.Deserialize(RecipeJson.Serialize(recipe))!, "", errors)!;
        Assert.Equal(recipe.Key(), again.Key());
    }

    [Fact]
    public void Recipes_that_differ_in_one_redraw_have_different_keys()
    {
        var other = Seeded with { Latent = new RecipeLatent.Seeded(LatentRecipe.FromSeed(7, 3).Redraw([1, 2], 9, 0.5)) };
        Assert.NotEqual(Seeded.Key(), other.Key());
    }

    [Theory]
    [InlineData("""{"noise":[{"seed":1},{"seed":1}]}""", "noise")]
    [InlineData("""{"latent":"AAAA"}""", "latent")]
    [InlineData("""{"noise":[{"seed":1},{"seed":1},{"seed":9007199254740992}]}""", "noise[2].seed")]
    [InlineData("""{"noise":[{"seed":1},{"seed":1},{"seed":1,"redraws":[{"seed":2,"strength":1.5}]}]}""", "noise[2].redraws[0].strength")]
    [InlineData("""{"latent":"AAAAAAAAAAAAAAAAAAAAAA==","prefix":{"fromGroup":3,"coefficients":"AAAAAAAAAAAAAAAAAAAAAA=="}}""", "prefix.fromGroup")]
    [InlineData("""{"latent":"AAAAAAAAAAAAAAAAAAAAAA==","stepsPerGroup":[1,11]}""", "stepsPerGroup")]
    [InlineData("""{"model":"other","latent":"AAAAAAAAAAAAAAAAAAAAAA=="}""", "model")]
    [InlineData("""{"version":"ffffffffffff","latent":"AAAAAAAAAAAAAAAAAAAAAA=="}""", "version")]
    [InlineData("""{"grid":"band-warp:0","latent":"AAAAAAAAAAAAAAAAAAAAAA=="}""", "grid")]
    [InlineData("""{"grid":"cosine","latent":"AAAAAAAAAAAAAAAAAAAAAA=="}""", "grid")]
    [InlineData("""{"grid":"uniform","latent":"AAAAAAAAAAAAAAAAAAAAAA==","prefix":{"fromGroup":1,"source":{"version":"ffffffffffff","latent":"AAAAAAAAAAAAAAAAAAAAAA=="}}}""", "prefix.source.version")]
    public void A_recipe_that_does_not_fit_the_model_is_refused_naming_the_member(string json, string path)
    {
        var errors = new List<FieldError>();
        Assert.Null(Rules.Check(RecipeJson.Deserialize(json)!, "", errors));
        Assert.Equal(path, Assert.Single(errors).Path);
    }
}
