using System.Diagnostics.CodeAnalysis;
using Gdm.Api.Options;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Engine;

/// <summary>
/// The bounded queue of admitted work between request threads and the one batching worker, in admission order.
/// Submitting never waits: a full queue refuses at once, so the caller can answer 429. Work whose token fires while it
/// waits leaves the queue at that moment (its task cancelled), so its place is free for the next submission and the
/// depth, the positions and the 429 decision never count it.
/// </summary>
public sealed class EngineQueue : IEngineQueue
{
    private readonly Lock _lock = new();
    private readonly LinkedList<WorkTicket> _waiting = new();
    private TaskCompletionSource _arrived = NewSignal();
    private long _submitted;
    private bool _completed;
    private int _outstandingTrajectories;

    private readonly TimeSpan _deadline;
    private readonly TimeSpan _fallbackRetryAfter;

    public EngineQueue(IOptions<EngineOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Capacity = options.Value.QueueCapacityRequests;
        _deadline = options.Value.RequestDeadline;
        _fallbackRetryAfter = options.Value.RetryAfter;
        Load = new EngineLoad(options.Value.MaxBatchSize);
    }

    public int Capacity { get; }

    /// <summary>Trajectories of admitted work that has not ended yet (waiting, or in the batch): what the engine is busy with.</summary>
    public int OutstandingTrajectories => Volatile.Read(ref _outstandingTrajectories);

    /// <summary>Pulsed whenever admitted work ends, so whoever fills the engine from elsewhere (the cluster queue) can look again.</summary>
    public ChangeSignal WorkEnded { get; } = new();

    /// <summary>Pulsed whenever waiting work leaves the queue (taken, withdrawn, stopped): the positions behind it moved.</summary>
    public ChangeSignal PositionsChanged { get; } = new();

    /// <summary>The worker's measurements, which admission and Retry-After are estimated from.</summary>
    public EngineLoad Load { get; }

    /// <summary>Estimated seconds until what is admitted now (waiting and running) has run; the fallback before any call was measured.</summary>
    public TimeSpan EstimatedDrainTime
    {
        get
        {
            long waiting;
            lock (_lock)
                waiting = _waiting.Sum(t => (long)t.Work.EvaluationsTotal);
            return Load.DrainSeconds(waiting + Load.Running.RemainingEvaluations) is { } seconds
                ? TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(seconds)))
                : _fallbackRetryAfter;
        }
    }

    /// <summary>Requests admitted and not yet taken by the worker (cancelled ones are gone at once).</summary>
    public int Depth
    {
        get
        {
            lock (_lock)
                return _waiting.Count;
        }
    }

    public bool TrySubmit(TrajectoryWork work, [NotNullWhen(true)] out WorkTicket? ticket)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_lock)
        {
            if (_completed || IsStopping || _waiting.Count >= Capacity)
            {
                ticket = null;
                return false;
            }

            ticket = new WorkTicket(++_submitted, work);
            ticket.Node = _waiting.AddLast(ticket);
            EngineMetrics.QueueDepth.Set(_waiting.Count);
            _arrived.TrySetResult();
        }

        var admitted = ticket;
        var trajectories = work.Trajectories.Count;
        Interlocked.Add(ref _outstandingTrajectories, trajectories);
        admitted.FinalStates.ContinueWith(
            _ =>
            {
                Interlocked.Add(ref _outstandingTrajectories, -trajectories);
                WorkEnded.Pulse();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        // Registered outside the lock: a token that has already fired runs the callback here, and it takes the lock.
        admitted.CancellationRegistration = work.CancellationToken.Register(() => Withdraw(admitted));
        return true;
    }

    /// <summary>
    /// Admits work by its cost, or throws. Its time is estimated from the measured seconds per call: its longest
    /// trajectory's evaluations at the batch it would join, or all evaluations admitted ahead of it plus its own at the
    /// engine's full-batch rate, whichever is longer. More than the deadline alone is WorkTooLargeException (400: it
    /// cannot finish even on an idle engine); more than the deadline with what is ahead, or a full queue, is
    /// EngineBusyException (429), Retry-After the time to drain what is ahead. Before any call was measured only the
    /// queue's capacity counts.
    /// </summary>
    public WorkTicket Submit(TrajectoryWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (IsStopping)
            throw new ServiceStoppingException();
        CheckCost(work);
        return TrySubmit(work, out var ticket)
            ? ticket
            : throw new EngineBusyException($"the queue holds its maximum of {Capacity} waiting requests", EstimatedDrainTime);
    }

    private void CheckCost(TrajectoryWork work)
    {
        if (!Load.IsMeasured || work.Trajectories.Count == 0)
            return;
        long waitingEvaluations;
        int waitingTrajectories;
        lock (_lock)
        {
            waitingEvaluations = _waiting.Sum(t => (long)t.Work.EvaluationsTotal);
            waitingTrajectories = _waiting.Sum(t => t.Work.Trajectories.Count);
        }

        var (runningEvaluations, activeTrajectories) = Load.Running;
        var trajectories = work.Trajectories.Count;
        var longest = work.Trajectories.Max(t => t.Evaluations);
        var own = work.EvaluationsTotal;
        var alone = Math.Max(longest * Load.SecondsPerCall(trajectories)!.Value, Load.DrainSeconds(own)!.Value);
        var deadline = _deadline.TotalSeconds;
        var perCall = Load.SecondsPerCall(Load.MaxBatchSize)!.Value;
        if (alone > deadline)
            throw new WorkTooLargeException(
                $"{own} network evaluations ({trajectories} trajectories of up to {longest}) take about {alone:F0} s at the measured " +
                $"{perCall * 1000 / Load.MaxBatchSize:F1} ms per evaluation, longer than the deadline of {deadline:F0} s even on an idle " +
                "service: ask for fewer images or fewer steps per group");
        var joined = Math.Min(Load.MaxBatchSize, activeTrajectories + waitingTrajectories + trajectories);
        var ahead = waitingEvaluations + runningEvaluations;
        var estimate = Math.Max(longest * Load.SecondsPerCall(joined)!.Value, Load.DrainSeconds(ahead + own)!.Value);
        if (estimate > deadline)
            throw new EngineBusyException(
                $"{ahead} network evaluations are admitted ahead of this request's {own}: it would finish in about {estimate:F0} s, " +
                $"after the deadline of {deadline:F0} s", EstimatedDrainTime);
    }

    /// <summary>1 for the next to be taken, 0 once the worker has it (or it left).</summary>
    public long PositionOf(WorkTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        lock (_lock)
        {
            if (ticket.Node?.List is null)
                return 0;
            var position = 1;
            for (var node = _waiting.First; node is not null && node != ticket.Node; node = node.Next)
                position++;
            return position;
        }
    }

    /// <summary>The oldest waiting work, now the worker's.</summary>
    internal bool TryTake([NotNullWhen(true)] out WorkTicket? ticket)
    {
        lock (_lock)
        {
            ticket = _waiting.First?.Value;
            if (ticket is null)
                return false;
            _waiting.RemoveFirst();
            EngineMetrics.QueueDepth.Set(_waiting.Count);
        }

        PositionsChanged.Pulse();
        ticket.CancellationRegistration.Dispose();
        return true;
    }

    /// <summary>Completes when work is waiting; false once the queue is completed and empty.</summary>
    internal async Task<bool> WaitToTakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task arrived;
            lock (_lock)
            {
                if (_waiting.Count > 0)
                    return true;
                if (_completed)
                    return false;
                if (_arrived.Task.IsCompleted)
                    _arrived = NewSignal();
                arrived = _arrived.Task;
            }

            await arrived.WaitAsync(cancellationToken);
        }
    }

    /// <summary>No more submissions: every later TrySubmit is refused.</summary>
    internal void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            _arrived.TrySetResult();
        }
    }

    /// <summary>Whether the service is stopping: new work is refused with ServiceStoppingException.</summary>
    public bool IsStopping { get; private set; }

    /// <summary>Set when the running work is to be given up too (the drain time is over); the worker fails it at its next round.</summary>
    public bool IsAbandoning { get; private set; }

    /// <summary>Shutdown, first step: refuse new work and fail the work still waiting (its requests answer 503).</summary>
    public void Stop()
    {
        WorkTicket[] waiting;
        lock (_lock)
        {
            IsStopping = true;
            waiting = _waiting.ToArray();
            _waiting.Clear();
            EngineMetrics.QueueDepth.Set(0);
            _arrived.TrySetResult();
        }

        PositionsChanged.Pulse();
        foreach (var ticket in waiting)
        {
            ticket.CancellationRegistration.Dispose();
            ticket.Completion.TrySetException(new ServiceStoppingException());
        }
    }

    /// <summary>Shutdown, second step: the running work is failed too.</summary>
    public void Abandon()
    {
        Stop();
        IsAbandoning = true;
        lock (_lock)
            _arrived.TrySetResult();
    }

    private void Withdraw(WorkTicket ticket)
    {
        lock (_lock)
        {
            if (ticket.Node?.List is null)
                return; // already taken by the worker, which drops it at its next round
            _waiting.Remove(ticket.Node);
            EngineMetrics.QueueDepth.Set(_waiting.Count);
        }

        PositionsChanged.Pulse();
        ticket.Completion.TrySetCanceled(ticket.Work.CancellationToken);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
