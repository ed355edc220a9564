namespace Gdm.Api.Hosting;

/// <summary>The /v1 requests being answered right now, so shutdown can wait until they are done.</summary>
public sealed class InFlightRequests
{
    private readonly Lock _lock = new();
    private int _count;
    private TaskCompletionSource _idle = Completed();

    public int Count
    {
        get
        {
            lock (_lock)
                return _count;
        }
    }

    /// <summary>Completes when no request is in flight.</summary>
    public Task WhenIdle
    {
        get
        {
            lock (_lock)
                return _idle.Task;
        }
    }

    public void Enter()
    {
        lock (_lock)
            if (_count++ == 0)
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Exit()
    {
        lock (_lock)
            if (--_count == 0)
                _idle.TrySetResult();
    }

    private static TaskCompletionSource Completed()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.TrySetResult();
        return source;
    }
}
