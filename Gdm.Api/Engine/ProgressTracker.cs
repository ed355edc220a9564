namespace Gdm.Api.Engine;

/// <summary>
/// Progress of one request across the engine work it submits (a variation of an uncached source submits the source
/// first): evaluations done and known so far, whether a trajectory has entered a batch, and the current ticket for
/// the queue position. Written by the worker, read by job endpoints.
/// </summary>
public sealed class ProgressTracker
{
    private readonly Lock _lock = new();
    private int _finishedEvaluations;
    private int _plannedEvaluations;
    private WorkProgress _current;
    private WorkTicket? _ticket;

    public ChangeSignal Changed { get; } = new();

    public bool Started { get; private set; }

    internal void Submitted(WorkTicket ticket)
    {
        lock (_lock)
        {
            _finishedEvaluations += _current.EvaluationsTotal;
            _current = new WorkProgress(0, ticket.Work.EvaluationsTotal, false);
            _plannedEvaluations = _finishedEvaluations + _current.EvaluationsTotal;
            _ticket = ticket;
        }

        Changed.Pulse();
    }

    internal void Report(WorkProgress progress)
    {
        lock (_lock)
        {
            _current = progress;
            Started |= progress.Started;
        }

        Changed.Pulse();
    }

    public (int Done, int Total, WorkTicket? Ticket) Read()
    {
        lock (_lock)
            return (_finishedEvaluations + _current.EvaluationsDone, _plannedEvaluations, _ticket);
    }
}
