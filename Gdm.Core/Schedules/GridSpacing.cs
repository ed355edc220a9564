using System.Globalization;

namespace Gdm.Core.Schedules;

/// <summary>
/// How a time grid places each group's steps inside its interval, by name. Name is the one canonical text form and
/// Parse(Name) gives the same value back:
/// - "uniform": evenly spaced in a_g (the grid every recipe made before grids had names used; it stays bit for bit);
/// - "band-warp:R": evenly spaced in tau of BandWarp with the shift s_g = sigma_g / R of each group, sigma_g the RMS
///   data std of the group's coefficients, R = sigma_ref (e.g. "band-warp:1").
/// </summary>
public abstract record GridSpacing
{
    private const string BandWarpPrefix = "band-warp:";

    private protected GridSpacing()
    {
    }

    public static GridSpacing Uniform { get; } = new UniformSpacing();

    public static GridSpacing Warped(double referenceStd) => new BandWarpSpacing(referenceStd);

    public abstract string Name { get; }

    /// <summary>Whether Shifts needs the per-group data std (a model without data statistics can only use the others).</summary>
    public abstract bool NeedsGroupStds { get; }

    /// <summary>The warp's shift s_g of each of the groups, given each group's RMS data std when NeedsGroupStds.</summary>
    public abstract IReadOnlyList<double> Shifts(int groups, IReadOnlyList<double>? groupStds);

    public sealed override string ToString() => Name;

    // A reference far from the bands' standard deviations (0.2 to 7 on the shipped data) makes shifts so extreme that a
    // group's steps collapse onto a few times or the shift overflows to infinity.
    private const double MinReference = 1e-6, MaxReference = 1e6;

    public static GridSpacing Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == Uniform.Name)
            return Uniform;
        if (name.StartsWith(BandWarpPrefix, StringComparison.Ordinal)
            && double.TryParse(name.AsSpan(BandWarpPrefix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var reference)
            && reference is >= MinReference and <= MaxReference)
            return Warped(reference);
        throw new FormatException($"unknown grid '{name}': use uniform or band-warp:SIGMA_REF with SIGMA_REF between {MinReference:0e0} and {MaxReference:0e0} (e.g. band-warp:1)");
    }

    public sealed record UniformSpacing : GridSpacing
    {
        internal UniformSpacing()
        {
        }

        public override string Name => "uniform";

        public override bool NeedsGroupStds => false;

        public override IReadOnlyList<double> Shifts(int groups, IReadOnlyList<double>? groupStds) => Enumerable.Repeat(1.0, groups).ToArray();
    }

    /// <summary>The per-band warp with reference std sigma_ref (ReferenceStd).</summary>
    public sealed record BandWarpSpacing : GridSpacing
    {
        internal BandWarpSpacing(double referenceStd)
        {
            if (!(referenceStd > 0) || double.IsInfinity(referenceStd))
                throw new ArgumentOutOfRangeException(nameof(referenceStd), referenceStd, "band-warp's reference std must be a positive number");
            ReferenceStd = referenceStd;
        }

        public double ReferenceStd { get; }

        public override string Name => BandWarpPrefix + ReferenceStd.ToString("R", CultureInfo.InvariantCulture);

        public override bool NeedsGroupStds => true;

        public override IReadOnlyList<double> Shifts(int groups, IReadOnlyList<double>? groupStds)
        {
            if (groupStds is null)
                throw new ArgumentException($"grid {Name} needs the data std of each group: the model's manifest has no data statistics (use grid uniform)");
            if (groupStds.Count != groups)
                throw new ArgumentException($"grid {Name} needs one data std per group: got {groupStds.Count} for {groups} groups");
            return groupStds.Select(std => BandWarp.Shift(std, ReferenceStd)).ToArray();
        }
    }
}
