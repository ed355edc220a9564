namespace Gdm.Api.Engine;

/// <summary>
/// One asynchronous request: its progress, its outcome once finished, and the token source DELETE cancels.
/// The outcome is written once, under a lock, by the job's own run; readers take a consistent Snapshot.
/// </summary>
public sealed class Job
{
    private readonly Lock _lock = new();
    private JobStatus? _final;
    private JobResult? _result;
    private JobFailure? _failure;
    private DateTimeOffset? _finishedAt;

    internal Job(string id, string kind, string? owner, DateTimeOffset createdAt, CancellationTokenSource cancellation)
    {
        Id = id;
        Kind = kind;
        Owner = owner;
        CreatedAt = createdAt;
        Cancellation = cancellation;
    }

    public string Id { get; }

    public string Kind { get; }

    /// <summary>The key id that submitted it; null without API keys.</summary>
    public string? Owner { get; }

    public DateTimeOffset CreatedAt { get; }

    public ProgressTracker Progress { get; } = new();

    public Task Completion { get; internal set; } = Task.CompletedTask;

    internal CancellationTokenSource Cancellation { get; }

    public JobSnapshot Snapshot()
    {
        // Under the job's lock, so a snapshot that says finished reads the progress frozen by Finish.
        lock (_lock)
        {
            var (done, total, ticket) = Progress.Read();
            var status = _final ?? (Progress.Started ? JobStatus.Running : JobStatus.Queued);
            return new JobSnapshot(Id, Kind, status, CreatedAt, _finishedAt, done, total, ticket, _result, _failure);
        }
    }

    internal bool IsFinished
    {
        get
        {
            lock (_lock)
                return _final is not null;
        }
    }

    internal DateTimeOffset? FinishedAt
    {
        get
        {
            lock (_lock)
                return _finishedAt;
        }
    }

    internal void Finish(JobStatus status, JobResult? result, JobFailure? failure, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_final is not null)
                return;
            Progress.Freeze(status == JobStatus.Succeeded);
            _final = status;
            _result = result;
            _failure = failure;
            _finishedAt = at;
        }

        Progress.Changed.Pulse();
    }
}

/// <summary>A consistent view of a job; Ticket gives the queue position while it waits.</summary>
public sealed record JobSnapshot(
    string Id,
    string Kind,
    JobStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    int EvaluationsDone,
    int EvaluationsTotal,
    WorkTicket? Ticket,
    JobResult? Result,
    JobFailure? Failure)
{
    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;
}
