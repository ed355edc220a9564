using Gdm.Core.Grouping;

namespace Gdm.Core.Latents;

/// <summary>The latent eps of a recipe: named by seeds (one per group, with redraws) or given as explicit values.</summary>
public abstract record RecipeLatent
{
    private RecipeLatent()
    {
    }

    /// <summary>eps in coefficient space (C*H*W values), a new array.</summary>
    public abstract float[] Realise(CoefficientGrouping grouping);

    /// <summary>eps named by per-group seeds; realising it is a pure function of the seeds.</summary>
    public sealed record Seeded(LatentRecipe Noise) : RecipeLatent
    {
        public override float[] Realise(CoefficientGrouping grouping) => Noise.Realise(grouping);
    }

    /// <summary>eps given outright (an encoded image, a mix or traversal of explicit latents).</summary>
    public sealed record Explicit(IReadOnlyList<float> Values) : RecipeLatent
    {
        public override float[] Realise(CoefficientGrouping grouping)
        {
            ArgumentNullException.ThrowIfNull(grouping);
            if (Values.Count != grouping.Shape.Size)
                throw new ArgumentException($"a latent of a {grouping.Shape} model has {grouping.Shape.Size} values, got {Values.Count}");
            return Values.ToArray();
        }
    }
}
