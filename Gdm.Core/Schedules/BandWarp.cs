namespace Gdm.Core.Schedules;

/// <summary>
/// The per-band warp of a group's noise level: a(tau) = s tau / (1 + (s - 1) tau) for tau in [0, 1], the time shift
/// of rectified-flow sampling (Esser et al. 2024, "Scaling Rectified Flow Transformers", arXiv 2403.03206, eq. 23)
/// applied to each group's own a_g. It is monotone for s > 0, keeps a(0) = 0 and a(1) = 1, and s = 1 is the identity.
/// A band of data std sigma has signal-to-noise ratio ((1 - a) sigma / a)^2, which is 1 at a = sigma / (1 + sigma);
/// with s = sigma / sigma_ref the warp puts tau = 1/2 exactly there for sigma_ref = 1, so evenly spaced tau spend
/// half of a group's steps on each side of the noise level where its band is decided.
/// </summary>
public static class BandWarp
{
    /// <summary>a(tau) = s tau / (1 + (s - 1) tau); tau and the result are noise levels in [0, 1] (1 = pure noise).</summary>
    public static double NoiseLevel(double shift, double tau)
    {
        CheckShift(shift);
        if (!(tau >= 0 && tau <= 1))
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "tau must be between 0 and 1");
        // s tau / (s tau + (1 - tau)) is the same function with exact ends: a(0) = 0, a(1) = 1, and a = tau at s = 1.
        return shift * tau / (shift * tau + (1.0 - tau));
    }

    /// <summary>The inverse, tau(a) = a / (a + s (1 - a)): where a noise level sits on the evenly spaced scale.</summary>
    public static double Tau(double shift, double noiseLevel)
    {
        CheckShift(shift);
        if (!(noiseLevel >= 0 && noiseLevel <= 1))
            throw new ArgumentOutOfRangeException(nameof(noiseLevel), noiseLevel, "a noise level must be between 0 and 1");
        return noiseLevel / (noiseLevel + shift * (1.0 - noiseLevel));
    }

    /// <summary>s = sigma_g / sigma_ref: a band with less spread than the reference is decided at lower noise (s &lt; 1).</summary>
    public static double Shift(double bandStd, double referenceStd)
    {
        if (!(bandStd > 0) || double.IsInfinity(bandStd))
            throw new ArgumentOutOfRangeException(nameof(bandStd), bandStd, "a band's data std must be a positive number");
        if (!(referenceStd > 0) || double.IsInfinity(referenceStd))
            throw new ArgumentOutOfRangeException(nameof(referenceStd), referenceStd, "the reference std must be a positive number");
        return bandStd / referenceStd;
    }

    internal static void CheckShift(double shift)
    {
        if (!(shift > 0) || double.IsInfinity(shift))
            throw new ArgumentOutOfRangeException(nameof(shift), shift, "a warp's shift must be a positive number");
    }
}
