namespace Gdm.Api.Engine;

/// <summary>
/// Work refused at admission because of what is already admitted (the queue is full, or what waits ahead would keep
/// it from finishing inside the deadline): answer 429, Retry-After the estimated time to drain the queue.
/// </summary>
public sealed class EngineBusyException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
