namespace Gdm.Api.Engine;

/// <summary>
/// Progress of one request across the engine work it submits in phases (an encode inverts, then decodes; a variation
/// of an uncached source makes the source first): evaluations done, the total, whether a trajectory has entered a
/// batch, and the current ticket for the queue position. The plan announces the total of all its phases before the
/// first is submitted, so the total does not grow as phases start; done only grows. Once the job has finished the
/// tracker is frozen: a step that was in flight when a DELETE answered does not move it. Written by the worker, read
/// by job endpoints.
/// </summary>
public sealed class ProgressTracker
{
    private readonly Lock _lock = new();
    private int _finishedEvaluations;
    private int _announcedEvaluations;
    private WorkProgress _current;
    private WorkTicket? _ticket;
    private bool _frozen;

    public ChangeSignal Changed { get; } = new();

    public bool Started { get; private set; }

    /// <summary>The evaluations of every phase the request will submit, known when it is planned.</summary>
    public void Announce(int evaluations)
    {
        lock (_lock)
            if (!_frozen)
                _announcedEvaluations = Math.Max(_announcedEvaluations, evaluations);
        Changed.Pulse();
    }

    /// <summary>
    /// A new phase of evaluationsTotal is about to be submitted: the previous phase counts as finished. Called before
    /// Submit, since the worker may take the work and report its first step before Submit has even returned.
    /// </summary>
    internal void BeginPhase(int evaluationsTotal)
    {
        lock (_lock)
        {
            if (_frozen)
                return;
            _finishedEvaluations += _current.EvaluationsTotal;
            _current = new WorkProgress(0, evaluationsTotal, false);
        }
    }

    /// <summary>The phase's ticket, for the queue position.</summary>
    internal void Submitted(WorkTicket ticket)
    {
        lock (_lock)
        {
            if (_frozen)
                return;
            _ticket = ticket;
        }

        Changed.Pulse();
    }

    internal void Report(WorkProgress progress)
    {
        lock (_lock)
        {
            if (_frozen)
                return;
            _current = progress;
            Started |= progress.Started;
        }

        Changed.Pulse();
    }

    /// <summary>No more changes; a request that succeeded is done to its total (phases found in recent outputs did not run).</summary>
    internal void Freeze(bool succeeded)
    {
        lock (_lock)
        {
            if (_frozen)
                return;
            if (succeeded)
            {
                _finishedEvaluations = Total;
                _current = default;
            }

            _frozen = true;
        }
    }

    public (int Done, int Total, WorkTicket? Ticket) Read()
    {
        lock (_lock)
            return (_finishedEvaluations + _current.EvaluationsDone, Total, _ticket);
    }

    // What was announced, unless a phase brought more than the plan knew of (a recent output evicted meanwhile).
    private int Total => Math.Max(_announcedEvaluations, _finishedEvaluations + _current.EvaluationsTotal);
}
