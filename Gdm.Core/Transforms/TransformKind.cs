namespace Gdm.Core.Transforms;

public enum TransformKind
{
    /// <summary>Pixel space: for spatial groupings (rows, patches).</summary>
    Identity,

    /// <summary>Orthonormal 2-D DCT-II applied per channel: for frequency groupings.</summary>
    Dct,
}
