namespace Gdm.Api.Engine;

/// <summary>
/// What the engine is doing and how fast, for admission and Retry-After: the measured seconds of one network call at
/// each batch size (the median of the last Window calls of that size, written by the worker after every call, so a
/// call held up once does not move it) and the evaluations the running work still needs. From these, the time to
/// drain what is admitted and the time a new request would take.
/// </summary>
public sealed class EngineLoad(int maxBatchSize)
{
    private const int Window = 15;
    private readonly Lock _lock = new();
    private readonly double[][] _recent = Enumerable.Range(0, maxBatchSize + 1).Select(_ => new double[Window]).ToArray();
    private readonly int[] _calls = new int[maxBatchSize + 1];
    // Calls measured before any estimate is trusted: one call held up (a page fault storm, a debugger) is not a rate.
    private const int MinimumCalls = 5;
    private IReadOnlyList<IRemainingWork> _running = [];
    private int _activeTrajectories;

    public int MaxBatchSize { get; } = maxBatchSize;

    /// <summary>Whether any call was measured: before that nothing is estimated and nothing refused for cost.</summary>
    public bool IsMeasured
    {
        get
        {
            lock (_lock)
                return _calls.Sum() >= MinimumCalls;
        }
    }

    internal void ObserveCall(int batchSize, double seconds)
    {
        if (batchSize < 1 || batchSize > MaxBatchSize || !(seconds > 0))
            return;
        lock (_lock)
            _recent[batchSize][_calls[batchSize]++ % Window] = seconds;
    }

    /// <summary>The worker's running work, published when it changes (the counts in it move as the worker steps).</summary>
    internal void ObserveRunning(IReadOnlyList<IRemainingWork> running)
    {
        lock (_lock)
            _running = running;
    }

    /// <summary>Trajectories in the batch after the worker's latest round.</summary>
    internal void ObserveActive(int activeTrajectories) => Volatile.Write(ref _activeTrajectories, activeTrajectories);

    /// <summary>Evaluations the running work still needs, without work cancelled since (it leaves at the next round).</summary>
    public (long RemainingEvaluations, int ActiveTrajectories) Running
    {
        get
        {
            IReadOnlyList<IRemainingWork> running;
            lock (_lock)
                running = _running;
            var remaining = 0L;
            foreach (var work in running)
                if (!work.CancellationToken.IsCancellationRequested)
                    remaining += Math.Max(0, work.RemainingEvaluations);
            return (remaining, Volatile.Read(ref _activeTrajectories));
        }
    }

    /// <summary>
    /// Seconds of one call at this batch size: measured, else from the nearest measured size assuming no batching gain
    /// beyond it (time proportional to the batch above it, constant below it); null before any call was measured.
    /// </summary>
    public double? SecondsPerCall(int batchSize)
    {
        batchSize = Math.Clamp(batchSize, 1, MaxBatchSize);
        lock (_lock)
        {
            if (_calls[batchSize] > 0)
                return Median(batchSize);
            for (var below = batchSize - 1; below >= 1; below--)
                if (_calls[below] > 0)
                    return Median(below) * batchSize / below;
            for (var above = batchSize + 1; above <= MaxBatchSize; above++)
                if (_calls[above] > 0)
                    return Median(above);
            return null;
        }
    }

    private double Median(int batchSize)
    {
        var seen = _recent[batchSize].AsSpan(0, Math.Min(Window, _calls[batchSize])).ToArray();
        Array.Sort(seen);
        return seen[seen.Length / 2];
    }

    /// <summary>Seconds to run this many evaluations with the batch full: the engine's drain rate.</summary>
    public double? DrainSeconds(long evaluations) =>
        SecondsPerCall(MaxBatchSize) is { } call ? evaluations * call / MaxBatchSize : null;
}

/// <summary>Running work as admission sees it: read from other threads while the worker advances it.</summary>
internal interface IRemainingWork
{
    CancellationToken CancellationToken { get; }

    int RemainingEvaluations { get; }
}
