using System.Text.Json.Nodes;

namespace Gdm.Api.Endpoints.Contracts;

/// <summary>The answer to POST /v1/jobs: where to follow the job.</summary>
public sealed record JobAccepted(string Id, string Status, long QueuePosition, string Location, string Events);

/// <summary>
/// A job's state: `kind` names its operation, and once it succeeded `result` holds what that operation's endpoint would
/// have answered (an ImagesResponse for samples, variations, mix and interpolate, an EncodeResponse for encode, a
/// TraverseResponse for traverse, a LevelsResponse for levels; the API description types it per kind, JobViewSchemas);
/// `error` once it failed or was cancelled; `worker`, from the moment it runs, names
/// the replica running it (the one that finished it, once finished).
/// </summary>
public sealed record JobView(
    string Id,
    string Kind,
    string Status,
    long QueuePosition,
    JobProgressView Progress,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    JsonNode? Result,
    JobError? Error,
    string? Worker = null);

/// <summary>Network evaluations done out of those known so far.</summary>
public sealed record JobProgressView(int EvaluationsDone, int EvaluationsTotal, double Fraction);

public sealed record JobError(int Status, string Title, string Detail);

/// <summary>One server-sent event: the job's status and progress.</summary>
public sealed record JobEvent(string Id, string Status, long QueuePosition, int EvaluationsDone, int EvaluationsTotal, double Fraction);
