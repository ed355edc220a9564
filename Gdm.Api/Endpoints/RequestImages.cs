using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Images;
using Gdm.Api.Inference;

namespace Gdm.Api.Endpoints;

/// <summary>
/// The images of one request: reads its ImageUpload fields (each file once, however often it is named), keeps what was
/// done to each for the response, and checks that every uploaded file was named by some field.
/// </summary>
public sealed class RequestImages
{
    /// <summary>The multipart part that holds the images, for error messages and the Swagger form.</summary>
    public const string FilesPart = "images";

    private readonly UploadReader _reader;
    private readonly IReadOnlyList<IFormFile> _files;
    private readonly Dictionary<(int File, BackgroundMode Background), UploadedImage> _byFile = [];
    private readonly HashSet<int> _named = [];
    private readonly List<UploadReport> _reports = [];

    internal RequestImages(UploadReader reader, IReadOnlyList<IFormFile> files)
    {
        _reader = reader;
        _files = files;
    }

    /// <summary>What was done to each image read so far, in the order read; null when none was.</summary>
    public IReadOnlyList<UploadReport>? Reports => _reports.Count == 0 ? null : _reports.ToArray();

    /// <summary>The image of an ImageUpload field as the model's input; throws UploadRejectedException naming the field.</summary>
    public async Task<UploadedImage> ReadAsync(ImageUpload? upload, string field, LoadedModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var background = upload?.Background ?? BackgroundMode.Auto;
        if (upload?.File is { } file && upload.Base64 is null && _byFile.TryGetValue((file, background), out var known))
            return known;
        var bytes = await _reader.ReadBytesAsync(upload, field, _files, cancellationToken);
        var image = await _reader.ConvertAsync(bytes, field, model, background, cancellationToken);
        if (upload!.File is { } index)
        {
            _byFile[(index, background)] = image;
            _named.Add(index);
        }

        _reports.Add(image.Report);
        return image;
    }

    /// <summary>The file of an ImageUpload field read up to its pixels (format, size, text chunks); nothing is decoded.</summary>
    public async Task<UploadHeader> InspectAsync(ImageUpload? upload, string field, CancellationToken cancellationToken)
    {
        var header = _reader.Inspect(await _reader.ReadBytesAsync(upload, field, _files, cancellationToken), field);
        if (upload!.File is { } index)
            _named.Add(index);
        return header;
    }

    /// <summary>The bytes of the request's uploaded files, in the order sent (what another replica needs to read them again).</summary>
    public async Task<IReadOnlyList<byte[]>> FileBytesAsync(CancellationToken cancellationToken)
    {
        var all = new byte[_files.Count][];
        for (var i = 0; i < _files.Count; i++)
        {
            using var bytes = new MemoryStream((int)_files[i].Length);
            await using (var stream = _files[i].OpenReadStream())
                await stream.CopyToAsync(bytes, cancellationToken);
            all[i] = bytes.ToArray();
        }

        return all;
    }

    /// <summary>A file that no field names is most likely a mistake (a base64 example left in place): say so.</summary>
    public void EnsureEveryFileUsed()
    {
        for (var i = 0; i < _files.Count; i++)
            if (!_named.Contains(i))
                throw new UploadRejectedException($"{FilesPart}[{i}]", $"file {i} ('{_files[i].FileName}') was uploaded but no image field names it: use {{ \"file\": {i} }}");
    }
}
