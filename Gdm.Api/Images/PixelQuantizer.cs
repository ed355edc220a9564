namespace Gdm.Api.Images;

/// <summary>Pixel values in the model's value range to 8-bit grey levels: round((x - min) / (max - min) * 255), clamped.</summary>
public static class PixelQuantizer
{
    public static byte[] ToBytes(ReadOnlySpan<float> pixels, double min, double max)
    {
        var bytes = new byte[pixels.Length];
        var scale = 255.0 / (max - min);
        for (var i = 0; i < pixels.Length; i++)
            bytes[i] = (byte)Math.Clamp(Math.Round((pixels[i] - min) * scale), 0, 255);
        return bytes;
    }
}
