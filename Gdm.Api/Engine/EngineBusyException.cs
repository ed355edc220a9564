namespace Gdm.Api.Engine;

/// <summary>The waiting queue is full: answer 429 with Retry-After.</summary>
public sealed class EngineBusyException(int capacity)
    : Exception($"the queue holds its maximum of {capacity} waiting requests")
{
    public int Capacity { get; } = capacity;
}
