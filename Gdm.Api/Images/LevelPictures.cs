using Gdm.Core;

namespace Gdm.Api.Images;

/// <summary>One level's part of an image (pixels in the model's value units) and its largest magnitude.</summary>
public sealed record LevelPicture(int Group, float[] Pixels, double Peak)
{
    /// <summary>8-bit grey levels: 0 at mid grey, +-Peak at white and black; plain grey for a part that is zero everywhere.</summary>
    public byte[] Levels() => Peak == 0 ? Enumerable.Repeat((byte)128, Pixels.Length).ToArray() : PixelQuantizer.ToBytes(Pixels, -Peak, Peak);
}

/// <summary>
/// What each group alone contributes to an image: the inverse transform of the image's coefficients of that group
/// only (every other coefficient zero). The transform is linear and orthonormal, so these parts add up to the image's
/// pixels. Each part is drawn on its own scale, its largest magnitude at full white or black, since the fine bands
/// are much weaker than the coarse ones; a part that is zero everywhere is plain grey (Peak 0).
/// </summary>
public static class LevelPictures
{
    public static IReadOnlyList<LevelPicture> Of(GdmProcess process, ReadOnlySpan<float> coefficients)
    {
        ArgumentNullException.ThrowIfNull(process);
        var grouping = process.Grouping;
        if (coefficients.Length != grouping.Shape.Size)
            throw new ArgumentException($"an image of this model has {grouping.Shape.Size} coefficients, got {coefficients.Length}");
        var groupOf = grouping.GroupOfEachCoefficient;
        var part = new float[coefficients.Length];
        var pictures = new LevelPicture[grouping.Count];
        for (var g = 0; g < grouping.Count; g++)
        {
            for (var i = 0; i < part.Length; i++)
                part[i] = groupOf[i] == g ? coefficients[i] : 0f;
            var pixels = new float[coefficients.Length];
            process.Transform.Inverse(part, pixels);
            var peak = 0.0;
            foreach (var p in pixels)
                peak = Math.Max(peak, Math.Abs(p));
            pictures[g] = new LevelPicture(g, pixels, peak);
        }

        return pictures;
    }
}
