namespace Gdm.Training.Network;

/// <summary>The U-Net's size and shape. Each default says why it is the default.</summary>
public sealed record UNetOptions
{
    /// <summary>Channels at full resolution. 32 gives about 2 M parameters: enough for 28x28 and 32x32 data, and
    /// trainable on two CPU cores in a session (measured: 2.6 s per batch of 64 at 32x32x3).</summary>
    public int BaseWidth { get; init; } = 32;

    /// <summary>Width multiplier per level; each level after the first halves the resolution (28, 14, 7 or 32, 16, 8).
    /// Three levels reach 7x7 / 8x8, where a 3x3 kernel already sees most of the image.</summary>
    public IReadOnlyList<int> ChannelMultipliers { get; init; } = [1, 2, 2];

    /// <summary>Residual blocks per level on the way down (the way up has one more, for the extra skip). Two is the
    /// DDPM choice; one halves the step time for small budgets.</summary>
    public int ResidualBlocksPerLevel { get; init; } = 2;

    /// <summary>Resolutions (image height at that level) with self-attention; null means the lowest level only, where
    /// attention over H*W positions is cheapest and global structure is decided. Empty: no attention at all.</summary>
    public IReadOnlyList<int>? AttentionResolutions { get; init; }

    /// <summary>GroupNorm groups; 8 keeps at least 4 channels per group at base width 32. Must divide every width.</summary>
    public int NormGroups { get; init; } = 8;

    /// <summary>How the network is told where in the process it is. "time" (the default, and what every shipped model
    /// has): sinusoids of t, added to each residual block's features. "group-levels": the sinusoids together with every
    /// group's noise level a_g(t), scaling and shifting each residual block's normalised features instead of adding.</summary>
    public string Conditioning { get; init; } = TimeConditioning;

    public const string TimeConditioning = "time";

    public const string GroupLevelConditioning = "group-levels";

    public static IReadOnlyList<string> ConditioningNames { get; } = [TimeConditioning, GroupLevelConditioning];

    public bool UsesGroupLevels => Conditioning == GroupLevelConditioning;

    public int Width(int level) => BaseWidth * ChannelMultipliers[level];

    public int Levels => ChannelMultipliers.Count;

    /// <summary>Height of the feature maps at a level (each level after the first halves it).</summary>
    public static int Resolution(int imageHeight, int level) => imageHeight >> level;

    public bool HasAttention(int imageHeight, int level)
    {
        var resolution = Resolution(imageHeight, level);
        return AttentionResolutions is null ? level == Levels - 1 : AttentionResolutions.Contains(resolution);
    }

    public string Describe(int imageHeight)
    {
        var attention = Enumerable.Range(0, Levels).Where(l => HasAttention(imageHeight, l)).Select(l => Resolution(imageHeight, l).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var conditioning = UsesGroupLevels ? ", group-level scale-shift conditioning" : "";
        return $"unet base {BaseWidth}, mults {string.Join(",", ChannelMultipliers)}, {ResidualBlocksPerLevel} res blocks/level, attention at {string.Join(",", attention.DefaultIfEmpty("none"))}, groupnorm {NormGroups}{conditioning}";
    }
}
