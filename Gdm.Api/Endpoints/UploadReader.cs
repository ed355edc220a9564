using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Images;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Endpoints;

/// <summary>An upload made a model's input: pixels (C x H x W in the value range), their coefficients (transform space) and the report.</summary>
public sealed record UploadedImage(float[] Pixels, float[] Coefficients, UploadReport Report);

/// <summary>
/// Turns the ImageUpload fields of requests into model inputs: the bytes (base64, or a multipart file) are checked
/// against the upload options before they are read in full, then decoded by the PNG/JPEG-only decoder (declared size
/// before pixels, under the decode gate) and converted to the model's shape. Every problem is an UploadRejectedException naming the field.
/// </summary>
public sealed class UploadReader(IOptions<UploadOptions> options, UploadDecodeGate gate)
{
    private readonly UploadDecoder _decoder = new(new UploadLimits(
        options.Value.MaxImageBytes, options.Value.MaxWidthPixels, options.Value.MaxHeightPixels, options.Value.MaxFramesPerImage, options.Value.MaxJpegScans));

    public UploadOptions Options { get; } = options.Value;

    /// <summary>The images of one request: its multipart files in the order sent (none for a JSON body).</summary>
    public RequestImages For(IReadOnlyList<IFormFile> files) => new(this, files);

    /// <summary>The images of a stored job: the files its request was sent with, as bytes (see RequestImages.FileBytesAsync).</summary>
    public RequestImages ForStored(IReadOnlyList<byte[]> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return new(this, files.Select(IFormFile (bytes, i) => new FormFile(new MemoryStream(bytes, writable: false), 0, bytes.Length, RequestImages.FilesPart, $"file{i}")
        {
            Headers = new HeaderDictionary(),
        }).ToArray());
    }

    internal async Task<byte[]> ReadBytesAsync(ImageUpload? upload, string field, IReadOnlyList<IFormFile> files, CancellationToken cancellationToken)
    {
        if (upload is null || (upload.Base64 is null) == (upload.File is null))
            throw new UploadRejectedException(field, "give the image as base64 (JSON) or as file, the index of an image file of this multipart/form-data request; exactly one");
        if (upload.Base64 is { } base64)
            return FromBase64(base64, field);

        var index = upload.File!.Value;
        if (files.Count == 0)
            throw new UploadRejectedException(field, "this request carries no image files: send multipart/form-data with the image as a file part, or give base64");
        if (index < 0 || index >= files.Count)
            throw new UploadRejectedException(field, $"file {index} does not exist: this request carries image files 0..{files.Count - 1}");
        var file = files[index];
        if (file.Length > Options.MaxImageBytes)
            throw TooLarge(field, file.Length);
        using var bytes = new MemoryStream((int)file.Length);
        await using (var stream = file.OpenReadStream())
            await stream.CopyToAsync(bytes, cancellationToken);
        return bytes.ToArray();
    }

    internal UploadHeader Inspect(byte[] bytes, string field) => _decoder.Inspect(bytes, field);

    /// <summary>Decodes under the gate (a few at once, within the memory budget), the header checked before it waits.</summary>
    internal async Task<UploadedImage> ConvertAsync(byte[] bytes, string field, LoadedModel model, BackgroundMode background, CancellationToken cancellationToken)
    {
        var header = _decoder.Inspect(bytes, field);
        using var lease = await gate.EnterAsync(header.EstimatedDecodeBytes, cancellationToken);
        using var decoded = _decoder.Decode(header, field);
        var range = model.Manifest.ValueRange;
        var input = ModelImageConverter.Convert(decoded, model.Shape, range[0], range[1], background);
        var coefficients = new float[input.Pixels.Length];
        model.Process.Transform.Forward(input.Pixels, coefficients);
        var (report, shape) = (input.Report, model.Shape);
        return new UploadedImage(input.Pixels, coefficients, new UploadReport(
            field, report.Format.ToLowerInvariant(), report.OriginalWidth, report.OriginalHeight, shape.Width, shape.Height, shape.Channels, report.Inverted, report.Steps));
    }

    private byte[] FromBase64(string text, string field)
    {
        // A data: URL ("data:image/png;base64,....") carries the base64 after its comma.
        var base64 = text.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && text.IndexOf(',') is var comma and > 0 ? text[(comma + 1)..] : text;
        // Every 4 characters hold 3 bytes, so the size is known before anything is decoded.
        var bound = (long)base64.Length / 4 * 3;
        if (bound - 2 > Options.MaxImageBytes)
            throw TooLarge(field, bound);
        var buffer = new byte[bound + 3];
        if (!System.Convert.TryFromBase64String(base64, buffer, out var written))
            throw new UploadRejectedException(field, "base64 is not valid base64");
        return buffer[..written];
    }

    private UploadRejectedException TooLarge(string field, long bytes) =>
        new(field, $"the image is {bytes} bytes; at most {Options.MaxImageBytes} are accepted (Uploads:MaxImageBytes)", StatusCodes.Status413PayloadTooLarge);
}
