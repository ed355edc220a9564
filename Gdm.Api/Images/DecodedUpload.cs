using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Api.Images;

/// <summary>A decoded upload in RGB, with the format it arrived in. The caller disposes it.</summary>
public sealed record DecodedUpload(Image<Rgb24> Image, string Format) : IDisposable
{
    public void Dispose() => Image.Dispose();
}
