using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Api.Images;

/// <summary>A decoded upload in RGBA (alpha 255 where the file has none), with the format it arrived in. The caller disposes it.</summary>
public sealed record DecodedUpload(Image<Rgba32> Image, string Format) : IDisposable
{
    public void Dispose() => Image.Dispose();
}
