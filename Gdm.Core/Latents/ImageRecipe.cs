using Gdm.Core.Grouping;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Core.Latents;

/// <summary>
/// Everything that determines one image: the model, its latent eps (seeds or explicit values), the steps per group,
/// the sampler and, for an image that keeps another's coarse levels, the prefix it starts from. Replaying a recipe
/// reproduces its image bit for bit: Version names the model version and the time grid it was made with (null for a
/// recipe made before recipes named them; see RecipeVersion). RecipeJson is its one serialisation (wire, PNG text
/// chunk, cache key).
/// </summary>
public sealed record ImageRecipe(
    string Model,
    RecipeLatent Latent,
    IReadOnlyList<int> StepsPerGroup,
    SamplerKind Sampler,
    PrefixStart? Prefix = null,
    RecipeVersion? Version = null)
{
    /// <summary>The group the trajectory starts at: 0 for a full run from t = 1.</summary>
    public int FirstGroup => Prefix?.FromGroup ?? 0;

    /// <summary>Prefix nesting depth: 0 for a recipe without a prefix, 1 + its source's for one with a source recipe.</summary>
    public int Depth => Prefix switch
    {
        null => 0,
        PrefixStart.OfRecipe r => 1 + r.Source.Depth,
        _ => 1,
    };

    /// <summary>The recipe's time grid: its version's, or uniform for a recipe made before grids had names.</summary>
    public GridSpacing Grid => RecipeVersion.GridOf(Version);

    /// <summary>Which groups causal-input shows the network (RecipeVersion.VisibilityOf).</summary>
    public CausalVisibility Visibility => RecipeVersion.VisibilityOf(Version);

    /// <summary>eps in coefficient space, a pure function of the recipe.</summary>
    public float[] RealiseLatent(CoefficientGrouping grouping) => Latent.Realise(grouping);

    /// <summary>A stable name of the recipe's image: the SHA-256 of its canonical JSON (RecipeJson).</summary>
    public string Key() => RecipeJson.Key(this);
}
