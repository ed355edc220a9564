namespace Gdm.Core.Latents;

/// <summary>
/// Start at t = e_FromGroup with groups 0 .. FromGroup-1 already finished (no overlap: they do not move below e_g):
/// taken from another recipe's image, or given outright as coefficients (an upload's own coarse levels).
/// </summary>
public abstract record PrefixStart
{
    private PrefixStart(int fromGroup) => FromGroup = fromGroup;

    public int FromGroup { get; }

    /// <summary>The finished groups are those of Source's image.</summary>
    public sealed record OfRecipe(int FromGroup, ImageRecipe Source) : PrefixStart(FromGroup);

    /// <summary>The finished groups are given as coefficients (transform space, C*H*W values; later groups unread).</summary>
    public sealed record OfCoefficients(int FromGroup, IReadOnlyList<float> Coefficients) : PrefixStart(FromGroup);
}
