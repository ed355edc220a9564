namespace Gdm.Api.Engine;

/// <summary>
/// Wakes everyone waiting for "something changed". Take Next before reading the state it guards, then await it:
/// a change between the read and the await still completes the task that was taken.
/// </summary>
public sealed class ChangeSignal
{
    private TaskCompletionSource _next = NewSource();

    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
