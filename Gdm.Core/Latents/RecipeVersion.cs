using Gdm.Core.Schedules;

namespace Gdm.Core.Latents;

/// <summary>
/// What a recipe names besides its latent so that it replays the same on any later service: the model version it was
/// made with (Digest: the first 12 hex digits of the network's SHA-256) and its time grid. Recipes made before they
/// carried one have none (ImageRecipe.Version is null): they replay on the first version of their model with the
/// uniform grid and the causal-input visibility of the evaluation time, as they were made.
/// </summary>
public sealed record RecipeVersion(string Digest, GridSpacing Grid)
{
    /// <summary>Hex digits of the network's SHA-256 that name a model version: enough to tell versions apart.</summary>
    public const int DigestLength = 12;

    /// <summary>The version digest of a network with this SHA-256 (hex).</summary>
    public static string DigestOf(string sha256)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (sha256.Length < DigestLength)
            throw new ArgumentException($"a SHA-256 has 64 hex digits, got '{sha256}'", nameof(sha256));
        return sha256[..DigestLength].ToLowerInvariant();
    }

    /// <summary>The time grid of a recipe with this version: its grid, or uniform for a recipe made before versions.</summary>
    public static GridSpacing GridOf(RecipeVersion? version) => version?.Grid ?? GridSpacing.Uniform;

    /// <summary>
    /// Which groups causal-input shows the network for a recipe with this version: those started throughout the step
    /// (every versioned recipe), or, for a recipe made before versions, those started at the evaluation time, the rule
    /// it was made with.
    /// </summary>
    public static CausalVisibility VisibilityOf(RecipeVersion? version) => version is null ? CausalVisibility.EvaluationTime : CausalVisibility.Step;
}
