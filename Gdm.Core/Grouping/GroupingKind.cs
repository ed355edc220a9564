namespace Gdm.Core.Grouping;

public enum GroupingKind
{
    /// <summary>Frequency bands of DCT coefficients by max(u, v), low first.</summary>
    DctBands,

    /// <summary>Horizontal stripes of pixels.</summary>
    Rows,

    /// <summary>Square pixel patches in raster order (patch size 1: pixel-autoregressive).</summary>
    Patches,

    /// <summary>One group: plain rectified flow.</summary>
    Single,
}
