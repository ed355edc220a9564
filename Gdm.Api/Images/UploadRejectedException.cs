namespace Gdm.Api.Images;

/// <summary>An uploaded image that cannot be used; StatusCode is 400 (bad content) or 413 (too large).</summary>
public sealed class UploadRejectedException(string field, string message, int statusCode = StatusCodes.Status400BadRequest)
    : Exception(message)
{
    public string Field { get; } = field;

    public int StatusCode { get; } = statusCode;
}
