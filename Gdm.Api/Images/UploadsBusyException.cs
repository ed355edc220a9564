namespace Gdm.Api.Images;

/// <summary>The decoders are busy and their waiting line is full: answer 503 with Retry-After.</summary>
public sealed class UploadsBusyException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
