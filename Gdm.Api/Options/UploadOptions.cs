using System.ComponentModel.DataAnnotations;
using Gdm.Api.Images;

namespace Gdm.Api.Options;

/// <summary>
/// Uploaded images (PNG or JPEG only): the file's bytes are checked first, then the size its header declares, and only
/// then is it decoded; a violation is a 413 naming the image's field. Endpoints that take images get their own body
/// limit, since a base64 image is 4/3 of its file and a mix carries several.
/// </summary>
public sealed class UploadOptions : IValidatableObject
{
    public const string Section = "Uploads";

    /// <summary>Bytes of one image file.</summary>
    [Range(1024, 256L << 20)]
    public long MaxImageBytes { get; set; } = 4 << 20;

    /// <summary>Width the image's header may declare; checked before decoding, so a tiny file cannot claim a huge image.</summary>
    [Range(1, 16384)]
    public int MaxWidthPixels { get; set; } = 2048;

    [Range(1, 16384)]
    public int MaxHeightPixels { get; set; } = 2048;

    /// <summary>Frames an animated PNG may declare (acTL and fcTL chunks); only its default image is used.</summary>
    [Range(1, 100_000)]
    public int MaxFramesPerImage { get; set; } = 64;

    /// <summary>Scans a JPEG may have: each progressive scan walks every block again, so thousands are a CPU bomb.</summary>
    [Range(1, 10_000)]
    public int MaxJpegScans { get; set; } = 64;

    /// <summary>Uploads decoded at the same time; more wait in line (MaxQueuedDecodes), beyond that 503 with Retry-After.</summary>
    [Range(1, 256)]
    public int MaxConcurrentDecodes { get; set; } = 2;

    [Range(0, 10_000)]
    public int MaxQueuedDecodes { get; set; } = 32;

    /// <summary>
    /// Memory that decodes in progress may hold together, estimated from each image's declared size before it is
    /// decoded; a decode that does not fit waits in line like one over MaxConcurrentDecodes.
    /// </summary>
    [Range(16L << 20, 64L << 30)]
    public long DecodeMemoryBudgetBytes { get; set; } = 256L << 20;

    /// <summary>Image files one multipart/form-data request may carry.</summary>
    [Range(1, 64)]
    public int MaxFilesPerRequest { get; set; } = 8;

    /// <summary>Request body of an endpoint that takes images (multipart, or JSON with base64); the others keep Limits:MaxRequestBodyBytes.</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBodyBytes { get; set; } = 12 << 20;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var largest = UploadMemory.LargestEstimate(MaxWidthPixels, MaxHeightPixels, MaxImageBytes);
        if (DecodeMemoryBudgetBytes < largest)
            yield return new ValidationResult(
                $"DecodeMemoryBudgetBytes ({DecodeMemoryBudgetBytes}) must hold one decode of the largest image allowed ({MaxWidthPixels}x{MaxHeightPixels}, {MaxImageBytes} bytes: about {largest} bytes)",
                [nameof(DecodeMemoryBudgetBytes)]);

        // base64 of n bytes is 4 * ceil(n / 3) characters: one image at the limit must fit in a JSON body.
        var base64Bytes = (MaxImageBytes + 2) / 3 * 4;
        if (MaxRequestBodyBytes < base64Bytes + 4096)
            yield return new ValidationResult(
                $"MaxRequestBodyBytes ({MaxRequestBodyBytes}) must hold one image of MaxImageBytes ({MaxImageBytes}) as base64 ({base64Bytes} bytes) plus its JSON",
                [nameof(MaxRequestBodyBytes)]);
    }
}
