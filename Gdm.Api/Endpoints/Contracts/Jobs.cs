namespace Gdm.Api.Endpoints.Contracts;

/// <summary>An asynchronous request: exactly one of samples, variations, encode, mix or traverse.</summary>
public sealed record JobRequest
{
    public SamplesRequest? Samples { get; init; }

    public VariationsRequest? Variations { get; init; }

    public EncodeRequest? Encode { get; init; }

    public MixRequest? Mix { get; init; }

    public TraverseRequest? Traverse { get; init; }
}

/// <summary>The answer to POST /v1/jobs: where to follow the job.</summary>
public sealed record JobAccepted(string Id, string Status, long QueuePosition, string Location, string Events);

/// <summary>
/// A job's state; once it succeeded, `result` (samples, variations, mix), `encoding` (encode) or `traversal` (traverse);
/// error once it failed or was cancelled; `worker`, from the moment it runs, names the replica running it (the one
/// that finished it, once finished).
/// </summary>
public sealed record JobView(
    string Id,
    string Kind,
    string Status,
    long QueuePosition,
    JobProgressView Progress,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    ImagesResponse? Result,
    JobError? Error,
    EncodeResponse? Encoding = null,
    TraverseResponse? Traversal = null,
    string? Worker = null);

/// <summary>Network evaluations done out of those known so far.</summary>
public sealed record JobProgressView(int EvaluationsDone, int EvaluationsTotal, double Fraction);

public sealed record JobError(int Status, string Title, string Detail);

/// <summary>One server-sent event: the job's status and progress.</summary>
public sealed record JobEvent(string Id, string Status, long QueuePosition, int EvaluationsDone, int EvaluationsTotal, double Fraction);
