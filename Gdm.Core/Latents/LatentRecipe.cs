using Gdm.Core.Grouping;
using Gdm.Core.Noise;

namespace Gdm.Core.Latents;

/// <summary>
/// The name of a latent: one GroupNoise per group, in generation order. Realise() is a pure function of the
/// recipe, so the same recipe gives the same eps anywhere, in any batch.
/// </summary>
public sealed record LatentRecipe(IReadOnlyList<GroupNoise> Groups)
{
    /// <summary>Every group drawn from one seed (the generator keeps groups apart by their index).</summary>
    public static LatentRecipe FromSeed(ulong seed, int groups) =>
        new(Enumerable.Range(0, groups).Select(_ => new GroupNoise(seed)).ToArray());

    /// <summary>Redraws the given groups with a new seed and strength, keeping the others' recipes.</summary>
    public LatentRecipe Redraw(IEnumerable<int> groups, ulong seed, double strength)
    {
        NoiseRedraw.Validate(strength);
        var chosen = groups.ToHashSet();
        foreach (var g in chosen)
            if (g < 0 || g >= Groups.Count)
                throw new ArgumentOutOfRangeException(nameof(groups), g, $"group {g} does not exist: the recipe has groups 0..{Groups.Count - 1}");
        if (strength == 0)
            return this;
        return new(Groups.Select((noise, g) => chosen.Contains(g) ? noise.With(new NoiseRedraw(seed, strength)) : noise).ToArray());
    }

    public float[] Realise(CoefficientGrouping grouping)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        if (Groups.Count != grouping.Count)
            throw new ArgumentException($"the recipe names {Groups.Count} groups, the model has {grouping.Count}");
        var latent = new float[grouping.Shape.Size];
        var fresh = new float[grouping.Shape.Size];
        foreach (var group in grouping.Groups)
        {
            var noise = Groups[group.Index];
            LatentNoise.FillGroup(noise.Seed, group, latent);
            foreach (var redraw in noise.Redraws)
            {
                LatentNoise.FillGroup(redraw.Seed, group, fresh);
                LatentEdits.Blend(latent, fresh, group.Indices, redraw.Strength);
            }
        }

        return latent;
    }
}
