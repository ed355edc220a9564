using System.Globalization;
using System.Text;
using Gdm.Core;

namespace Gdm.Training.Data;

public enum ShapeKind
{
    Square,
    Circle,
    Triangle,
}

/// <summary>The known generative factors of one synthetic image: kind, colour index, size and centre (fractions of the image).</summary>
public sealed record ShapeFactors(ShapeKind Kind, int Colour, double Size, double CentreX, double CentreY);

/// <summary>
/// One coloured shape on a dark background per image, every factor drawn independently from a seeded generator,
/// so the set needs no download and later evaluation can ask which factor a latent group controls.
/// </summary>
public static class SyntheticShapes
{
    /// <summary>Six saturated colours, far apart in RGB (and in grey level, for 1-channel sets).</summary>
    public static readonly IReadOnlyList<(byte R, byte G, byte B)> Palette =
        [(230, 40, 40), (40, 200, 60), (50, 90, 240), (240, 220, 40), (220, 60, 220), (40, 220, 230)];

    private static readonly (byte R, byte G, byte B) Background = (24, 24, 32);

    /// <summary>Anti-aliasing: coverage is measured on a 4x4 grid of sub-pixel samples.</summary>
    private const int Subsamples = 4;

    public static ImageDataSet Generate(int count, ImageShape shape, int seed)
    {
        if (count < 1)
            throw new ArgumentException($"the synthetic set needs at least one image, got {count}");
        var random = new Random(seed);
        var factors = new ShapeFactors[count];
        var pixels = new byte[count * shape.Size];
        for (var n = 0; n < count; n++)
        {
            var size = 0.3 + 0.35 * random.NextDouble();
            var margin = size / 2;
            factors[n] = new ShapeFactors(
                (ShapeKind)random.Next(3),
                random.Next(Palette.Count),
                size,
                margin + (1 - 2 * margin) * random.NextDouble(),
                margin + (1 - 2 * margin) * random.NextDouble());
            Draw(factors[n], shape, pixels.AsSpan(n * shape.Size, shape.Size));
        }

        return new ImageDataSet($"synthetic shapes ({count} images, seed {seed})", shape, pixels, factors);
    }

    /// <summary>The factors as CSV (index,kind,colour,size,centre_x,centre_y), one row per image.</summary>
    public static string FactorsCsv(IReadOnlyList<ShapeFactors> factors)
    {
        var text = new StringBuilder("index,kind,colour,size,centre_x,centre_y\n");
        for (var i = 0; i < factors.Count; i++)
        {
            var f = factors[i];
            text.Append(CultureInfo.InvariantCulture, $"{i},{f.Kind.ToString().ToLowerInvariant()},{f.Colour},{f.Size:F4},{f.CentreX:F4},{f.CentreY:F4}\n");
        }

        return text.ToString();
    }

    private static void Draw(ShapeFactors f, ImageShape shape, Span<byte> target)
    {
        var colour = Palette[f.Colour];
        for (var y = 0; y < shape.Height; y++)
            for (var x = 0; x < shape.Width; x++)
            {
                var inside = 0;
                for (var sy = 0; sy < Subsamples; sy++)
                    for (var sx = 0; sx < Subsamples; sx++)
                    {
                        // Sample position relative to the centre, in units of the shape size (|u|, |v| <= 0.5 is its box).
                        var u = ((x + (sx + 0.5) / Subsamples) / shape.Width - f.CentreX) / f.Size;
                        var v = ((y + (sy + 0.5) / Subsamples) / shape.Height - f.CentreY) / f.Size;
                        if (Contains(f.Kind, u, v))
                            inside++;
                    }

                var coverage = inside / (double)(Subsamples * Subsamples);
                byte Mix(byte fore, byte back) => (byte)Math.Round(back + coverage * (fore - back));
                if (shape.Channels == 1)
                {
                    var grey = (byte)Math.Round(0.299 * colour.R + 0.587 * colour.G + 0.114 * colour.B);
                    target[y * shape.Width + x] = Mix(grey, Background.G);
                }
                else
                {
                    target[(0 * shape.Height + y) * shape.Width + x] = Mix(colour.R, Background.R);
                    target[(1 * shape.Height + y) * shape.Width + x] = Mix(colour.G, Background.G);
                    target[(2 * shape.Height + y) * shape.Width + x] = Mix(colour.B, Background.B);
                }
            }
    }

    private static bool Contains(ShapeKind kind, double u, double v) => kind switch
    {
        ShapeKind.Square => Math.Abs(u) <= 0.4 && Math.Abs(v) <= 0.4,
        ShapeKind.Circle => u * u + v * v <= 0.25,
        // Apex up: v from -0.5 (apex) to 0.5 (base), half-width growing linearly to 0.5.
        ShapeKind.Triangle => v >= -0.5 && v <= 0.5 && Math.Abs(u) <= (v + 0.5) / 2,
        _ => false,
    };
}
