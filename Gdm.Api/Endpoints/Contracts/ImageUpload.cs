using Gdm.Api.Images;

namespace Gdm.Api.Endpoints.Contracts;

/// <summary>
/// An uploaded PNG or JPEG: `base64` of the file in a JSON body (a data: URL is fine), or `file`, the index of an image
/// file part of a multipart/form-data request (0 = its first file). Exactly one of the two. `background` says what
/// becomes of the image's background on its way to the model's domain (light garments on black).
/// </summary>
public sealed record ImageUpload
{
    /// <summary>The file's bytes as base64.</summary>
    /// <example>null</example>
    public string? Base64 { get; init; }

    /// <summary>Index of the file among the image files of this multipart/form-data request, in the order they were sent.</summary>
    /// <example>0</example>
    public int? File { get; init; }

    /// <summary>
    /// auto (when absent): invert the levels when the border of the converted image is light (mean above half of 255), as
    /// for a garment photographed on white; keep: take it as it is; invert: always invert. Transparent parts are
    /// composited on the model's background (black) either way. The upload report says what was done.
    /// </summary>
    /// <example>auto</example>
    public BackgroundMode? Background { get; init; }
}
