namespace Gdm.Core.Schedules;

/// <summary>
/// Where group g is active: [Start, End] after widening by the overlap (time runs from 1 down to 0).
/// BaseStart is s_g before widening; BaseStart..End is the group's share of the tiling of [0, 1].
/// </summary>
public readonly record struct GroupInterval(double Start, double BaseStart, double End)
{
    public double Length => End - Start;

    /// <summary>a_g(t) = clip((t - s_g) / (e_g - s_g), 0, 1): 1 is pure noise, 0 is clean.</summary>
    public double NoiseLevel(double t) => Math.Clamp((t - Start) / Length, 0.0, 1.0);

    /// <summary>a_g'(t): 1 / (e_g - s_g) strictly inside the interval, 0 outside.</summary>
    public double Rate(double t) => t > Start && t < End ? 1.0 / Length : 0.0;

    public bool Contains(double t) => t > Start && t < End;
}
