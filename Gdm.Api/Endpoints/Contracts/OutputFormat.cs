namespace Gdm.Api.Endpoints.Contracts;

/// <summary>
/// How each image comes back: png (base64 PNG with the recipe in a tEXt chunk), coefficients (base64 little-endian
/// float32 in the model's transform space, C*H*W values) or pixels (base64 float32, C x H x W in the value range).
/// </summary>
public enum OutputFormat
{
    Png,
    Coefficients,
    Pixels,
}
