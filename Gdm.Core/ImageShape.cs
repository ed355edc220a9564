namespace Gdm.Core;

/// <summary>Channels x height x width of one image; coefficient index i = (c * Height + row) * Width + column.</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int Size => Channels * Height * Width;

    public int PlaneSize => Height * Width;

    public static ImageShape Create(int channels, int height, int width)
    {
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "an image has 1 (grey) or 3 (RGB) channels");
        if (height < 1 || width < 1)
            throw new ArgumentOutOfRangeException(nameof(height), $"image size {height}x{width} must be at least 1x1");
        return new ImageShape(channels, height, width);
    }

    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
