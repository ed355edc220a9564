using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace Gdm.Api.Images;

/// <summary>
/// Decodes untrusted uploads in two steps. Inspect reads no pixels: the byte size, then the format from the signature
/// (PNG and JPEG only: ImageSharp 2.x has advisories for crafted images of other formats) and the file's structure
/// (PngPreflight, JpegPreflight: size, frames and scans from the header, metadata chunks dropped). Decode then runs
/// the format's decoder with metadata ignored, under an allocator that refuses any buffer beyond what the pixel limits
/// need; whatever the decoder throws on bad data is a 400 naming the field.
/// </summary>
public sealed class UploadDecoder
{
    private static readonly PngDecoder Png = new() { IgnoreMetadata = true };
    private static readonly JpegDecoder Jpeg = new() { IgnoreMetadata = true };
    private readonly UploadLimits _limits;
    private readonly Configuration _configuration;

    public UploadDecoder(UploadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        // The largest buffer a decode within the pixel limits needs is one Rgba64 image (8 bytes a pixel); a small
        // pool hands memory back after a burst instead of holding it.
        var largestMegabytes = (int)Math.Min(int.MaxValue, ((long)limits.MaxWidthPixels * limits.MaxHeightPixels * 8 >> 20) + 16);
        _configuration = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = largestMegabytes, MaximumPoolSizeMegabytes = 16 }),
            // Decodes are already bounded to a few at once (UploadDecodeGate): one core each.
            MaxDegreeOfParallelism = 1,
        };
    }

    /// <summary>The header and the bytes to decode, checked against the limits; nothing is inflated or decoded.</summary>
    public UploadHeader Inspect(ReadOnlyMemory<byte> bytes, string field)
    {
        if (bytes.Length == 0)
            throw new UploadRejectedException(field, "the image is empty");
        if (bytes.Length > _limits.MaxBytes)
            throw new UploadRejectedException(field, $"the image is {bytes.Length} bytes; at most {_limits.MaxBytes} are accepted", StatusCodes.Status413PayloadTooLarge);
        var span = bytes.Span;
        if (span.StartsWith(PngPreflight.Signature))
            return PngPreflight.Read(bytes.ToArray(), field, _limits);
        if (JpegPreflight.HasSignature(span))
            return JpegPreflight.Read(bytes.ToArray(), field, _limits);
        throw new UploadRejectedException(field, $"the data is not a PNG or JPEG image{Named(span)}");
    }

    /// <summary>The pixels of an inspected upload, in RGBA. The caller disposes the result.</summary>
    public DecodedUpload Decode(UploadHeader header, string field)
    {
        ArgumentNullException.ThrowIfNull(header);
        IImageDecoder decoder = header.Format == "PNG" ? Png : Jpeg;
        try
        {
            var image = Image.Load<Rgba32>(_configuration, header.Bytes, decoder);
            return new DecodedUpload(image, header.Format);
        }
        catch (InvalidMemoryOperationException e)
        {
            throw new UploadRejectedException(field, $"the {header.Format} image needs more memory than an upload may take: {e.Message}", StatusCodes.Status413PayloadTooLarge);
        }
        catch (OutOfMemoryException)
        {
            throw new UploadsBusyException("the service is short of memory to decode images", UploadDecodeGate.RetryAfter);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException)
        {
            // The decoder's own words about the data (bad deflate or Huffman data, a variant it does not handle).
            throw new UploadRejectedException(field, $"the {header.Format} image is corrupt or truncated: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The header passed the preflight, so what fails now is the data itself, whatever the exception; its
            // message would only describe the decoder's insides (a row span out of range, a null reference).
            throw new UploadRejectedException(field, $"the {header.Format} image is corrupt or truncated: its data cannot be decoded");
        }
    }

    public DecodedUpload Decode(ReadOnlyMemory<byte> bytes, string field) => Decode(Inspect(bytes, field), field);

    // What the data is when it is another image format, so the answer can say so.
    private static string Named(ReadOnlySpan<byte> data) => data switch
    {
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => " (it is a GIF)",
        [(byte)'B', (byte)'M', ..] => " (it looks like a BMP)",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => " (it is a WebP)",
        [0x49, 0x49, 0x2A, 0x00, ..] or [0x4D, 0x4D, 0x00, 0x2A, ..] => " (it is a TIFF)",
        _ => "",
    };
}
