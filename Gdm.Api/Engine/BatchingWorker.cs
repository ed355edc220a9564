using System.Diagnostics;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Gdm.Core.Sampling;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Engine;

/// <summary>
/// The one thread that runs networks. Step-level continuous batching: every round it drops cancelled work, fills
/// free slots (up to MaxBatchSize trajectories) from the queue, evaluates every active trajectory once at its own
/// time, advances each by one sampler stage and retires the finished ones. Work that arrives while others are midway
/// joins at the next round.
/// </summary>
public sealed class BatchingWorker(EngineQueue queue, IOptions<EngineOptions> options, ILogger<BatchingWorker> logger)
    : BackgroundService
{
    private readonly int _maxBatchSize = options.Value.MaxBatchSize;
    private readonly List<RunningWork> _running = [];
    private int _publishedRunning = -1;
    private bool _runningChanged;
    private readonly List<ActiveTrajectory> _active = [];
    private readonly Queue<ActiveTrajectory> _waiting = new();

    // Reused every round, so a step allocates nothing: the models in the batch, one model's members, and the
    // network's inputs and outputs (grown to the largest batch seen).
    private readonly List<LoadedModel> _models = [];
    private readonly List<ActiveTrajectory> _members = [];
    private float[] _states = [];
    private float[] _u = [];
    private double[] _times = [];
    private int[] _startedGroups = [];
    private long _round;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (queue.IsAbandoning)
                    AbandonRunning();
                DropCancelled();
                Admit();
                if (_running.Count != _publishedRunning || _runningChanged)
                {
                    // Only when the running set changed: admission reads the counts in it as they move.
                    queue.Load.ObserveRunning(_running.ToArray());
                    (_publishedRunning, _runningChanged) = (_running.Count, false);
                }

                queue.Load.ObserveActive(_active.Count);
                if (_active.Count == 0)
                {
                    EngineMetrics.ActiveTrajectories.Set(0);
                    if (!await queue.WaitToTakeAsync(stoppingToken))
                        return;
                    continue;
                }

                EvaluateOnce();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            queue.Complete();
            while (queue.TryTake(out var ticket))
                _running.Add(new RunningWork(ticket));
            foreach (var work in _running)
                work.Ticket.Completion.TrySetCanceled(stoppingToken);
            _running.Clear();
            _active.Clear();
            _waiting.Clear();
        }
    }

    // Shutdown's drain time is over: what still runs is answered "stopping" (503), not cancelled.
    private void AbandonRunning()
    {
        foreach (var work in _running)
            work.Ticket.Completion.TrySetException(new ServiceStoppingException());
        _running.Clear();
        _active.Clear();
        _waiting.Clear();
    }

    private void DropCancelled()
    {
        var dropped = _running.RemoveAll(work =>
        {
            if (!work.Ticket.Work.CancellationToken.IsCancellationRequested)
                return false;
            work.Ticket.Completion.TrySetCanceled(work.Ticket.Work.CancellationToken);
            return true;
        });
        if (dropped == 0)
            return;
        _runningChanged = true;
        _active.RemoveAll(t => t.Owner.Ticket.FinalStates.IsCompleted);
        var keep = _waiting.Where(t => !t.Owner.Ticket.FinalStates.IsCompleted).ToArray();
        _waiting.Clear();
        foreach (var t in keep)
            _waiting.Enqueue(t);
        logger.LogDebug("Dropped {Dropped} cancelled requests; {Active} trajectories stay active", dropped, _active.Count);
    }

    // Trajectories of work already taken go first (in order), then new work, until the batch is full.
    private void Admit()
    {
        while (_active.Count < _maxBatchSize)
        {
            if (_waiting.TryDequeue(out var next))
            {
                Start(next);
                continue;
            }

            if (!queue.TryTake(out var ticket))
                break;
            if (ticket.Work.CancellationToken.IsCancellationRequested)
            {
                ticket.Completion.TrySetCanceled(ticket.Work.CancellationToken);
                continue;
            }

            var work = new RunningWork(ticket);
            _running.Add(work);
            _runningChanged = true;
            if (work.Remaining == 0)
            {
                Finish(work);
                continue;
            }

            for (var i = 0; i < ticket.Work.Trajectories.Count; i++)
                _waiting.Enqueue(new ActiveTrajectory(work, i));
        }

        EngineMetrics.ActiveTrajectories.Set(_active.Count);
    }

    private void Start(ActiveTrajectory trajectory)
    {
        _active.Add(trajectory);
        if (!trajectory.Owner.Started)
        {
            trajectory.Owner.Started = true;
            trajectory.Owner.Report();
        }
    }

    // One network call per model in the batch (in order of first appearance), then one progress report per work.
    private void EvaluateOnce()
    {
        _models.Clear();
        foreach (var trajectory in _active)
            if (!_models.Contains(trajectory.Owner.Ticket.Work.Model))
                _models.Add(trajectory.Owner.Ticket.Work.Model);
        foreach (var model in _models)
        {
            _members.Clear();
            foreach (var trajectory in _active)
                if (trajectory.Owner.Ticket.Work.Model == model)
                    _members.Add(trajectory);
            var started = Stopwatch.GetTimestamp();
            try
            {
                Evaluate(model, _members);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var owners = _members.Select(m => m.Owner).Distinct().ToArray();
                logger.LogError(e, "The network of model {Model} failed on a batch of {BatchSize}; its {Requests} requests fail",
                    model.Name, _members.Count, owners.Length);
                foreach (var owner in owners)
                    Fail(owner, e);
                continue;
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            queue.Load.ObserveCall(_members.Count, seconds);
            EngineMetrics.StepSeconds.Observe(seconds);
            EngineMetrics.BatchSize.Observe(_members.Count);
        }

        _round++;
        foreach (var trajectory in _active)
        {
            if (trajectory.Owner.ReportedRound == _round)
                continue;
            trajectory.Owner.ReportedRound = _round;
            trajectory.Owner.Report();
        }

        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var trajectory = _active[i];
            if (!trajectory.Trajectory.IsFinished)
                continue;
            _active.RemoveAt(i);
            var owner = trajectory.Owner;
            owner.Results[trajectory.Index] = trajectory.Trajectory.State;
            if (--owner.Remaining == 0)
                Finish(owner);
        }
    }

    private void Evaluate(LoadedModel model, List<ActiveTrajectory> members)
    {
        var d = model.Shape.Size;
        var values = members.Count * d;
        if (_states.Length < values)
            (_states, _u) = (new float[values], new float[values]);
        if (_times.Length < members.Count)
            (_times, _startedGroups) = (new double[members.Count], new int[members.Count]);
        Span<float> states = _states.AsSpan(0, values), u = _u.AsSpan(0, values);
        var times = _times.AsSpan(0, members.Count);
        var startedGroups = _startedGroups.AsSpan(0, members.Count);
        for (var b = 0; b < members.Count; b++)
        {
            var member = members[b];
            member.Sampler.EvaluationState(member.Trajectory).CopyTo(states.Slice(b * d, d));
            times[b] = member.Sampler.EvaluationTime(member.Trajectory);
            startedGroups[b] = member.Trajectory.Grid.StartedGroups(member.Trajectory.Step, times[b]);
        }

        model.Denoiser.Predict(states, times, startedGroups, u);
        var groupOf = model.Process.Grouping.GroupOfEachCoefficient;
        for (var b = 0; b < members.Count; b++)
        {
            var member = members[b];
            member.Sampler.Advance(member.Trajectory, u.Slice(b * d, d), groupOf);
            member.Owner.EvaluationsDone++;
        }
    }

    private void Finish(RunningWork work)
    {
        _running.Remove(work);
        _runningChanged = true;
        work.Ticket.Completion.TrySetResult(work.Results);
    }

    private void Fail(RunningWork work, Exception error)
    {
        _running.Remove(work);
        _runningChanged = true;
        _active.RemoveAll(t => t.Owner == work);
        var keep = _waiting.Where(t => t.Owner != work).ToArray();
        _waiting.Clear();
        foreach (var t in keep)
            _waiting.Enqueue(t);
        work.Ticket.Completion.TrySetException(error);
    }

    private sealed class RunningWork(WorkTicket ticket) : IRemainingWork
    {
        public CancellationToken CancellationToken => Ticket.Work.CancellationToken;

        public int RemainingEvaluations => EvaluationsTotal - EvaluationsDone;

        public WorkTicket Ticket { get; } = ticket;

        public float[][] Results { get; } = new float[ticket.Work.Trajectories.Count][];

        public int Remaining { get; set; } = ticket.Work.Trajectories.Count;

        public int EvaluationsTotal { get; } = ticket.Work.EvaluationsTotal;

        public int EvaluationsDone { get; set; }

        public bool Started { get; set; }

        /// <summary>The last round whose progress was reported, so each work reports once per round.</summary>
        public long ReportedRound { get; set; }

        public void Report() =>
            Ticket.Work.OnProgress?.Invoke(new WorkProgress(EvaluationsDone, EvaluationsTotal, Started));
    }

    // The trajectory is created (its start state copied) when it enters the batch, not when its work is taken.
    private sealed class ActiveTrajectory(RunningWork owner, int index)
    {
        private Trajectory? _trajectory;

        public RunningWork Owner { get; } = owner;

        public int Index { get; } = index;

        public ISampler Sampler { get; } = Samplers.Create(owner.Ticket.Work.Trajectories[index].Sampler);

        public Trajectory Trajectory => _trajectory ??= Create();

        private Trajectory Create()
        {
            var start = Owner.Ticket.Work.Trajectories[Index];
            return new Trajectory(start.State.ToArray(), start.Grid);
        }
    }
}
