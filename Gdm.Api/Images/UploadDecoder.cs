using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Api.Images;

/// <summary>
/// Decodes untrusted uploads. Only PNG and JPEG decoders are registered (ImageSharp 2.x has advisories for crafted
/// images of other formats), the byte size is checked first and the declared pixel size (Identify reads only the
/// header) before a full decode, so a small file that claims a huge image is refused without allocating it.
/// </summary>
public sealed class UploadDecoder(UploadLimits limits)
{
    private static readonly Configuration PngAndJpegOnly = new(new PngConfigurationModule(), new JpegConfigurationModule());

    public DecodedUpload Decode(ReadOnlyMemory<byte> bytes, string field)
    {
        if (bytes.Length == 0)
            throw new UploadRejectedException(field, "the image is empty");
        if (bytes.Length > limits.MaxBytes)
            throw new UploadRejectedException(field, $"the image is {bytes.Length} bytes; at most {limits.MaxBytes} are accepted", StatusCodes.Status413PayloadTooLarge);

        var array = bytes.ToArray();
        IImageInfo? info;
        IImageFormat? format;
        try
        {
            info = Image.Identify(PngAndJpegOnly, array, out format);
        }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or UnknownImageFormatException)
        {
            throw new UploadRejectedException(field, $"the image header cannot be read: {e.Message}");
        }

        if (info is null || format is null)
            throw new UploadRejectedException(field, "the data is not a PNG or JPEG image");
        if (info.Width > limits.MaxWidthPixels || info.Height > limits.MaxHeightPixels)
            throw new UploadRejectedException(
                field,
                $"the image declares {info.Width}x{info.Height} pixels; at most {limits.MaxWidthPixels}x{limits.MaxHeightPixels} are accepted",
                StatusCodes.Status413PayloadTooLarge);
        if (info.Width < 1 || info.Height < 1)
            throw new UploadRejectedException(field, $"the image declares an empty size {info.Width}x{info.Height}");

        try
        {
            var image = Image.Load<Rgb24>(PngAndJpegOnly, array);
            return new DecodedUpload(image, format.Name);
        }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or UnknownImageFormatException or NotSupportedException)
        {
            throw new UploadRejectedException(field, $"the {format.Name} image is corrupt or truncated: {e.Message}");
        }
    }
}
