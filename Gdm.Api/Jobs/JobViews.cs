using System.Text.Json.Nodes;
using Gdm.Api.Cluster;
using Gdm.Api.Endpoints;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;

namespace Gdm.Api.Jobs;

/// <summary>
/// Jobs in wire terms, from a job of this process or a job record read from Redis. A result travels between replicas
/// as the JSON its operation's endpoint answers.
/// </summary>
public static class JobViews
{
    public static string StatusName(JobStatus status) => status.ToString().ToLowerInvariant();

    public static double Fraction(JobStatus status, int done, int total) =>
        status == JobStatus.Succeeded ? 1.0 : total == 0 ? 0.0 : (double)done / total;

    public static JobView From(JobSnapshot snapshot, long position, string? worker)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new JobView(
            snapshot.Id,
            snapshot.Kind,
            StatusName(snapshot.Status),
            position,
            new JobProgressView(snapshot.EvaluationsDone, snapshot.EvaluationsTotal, Fraction(snapshot.Status, snapshot.EvaluationsDone, snapshot.EvaluationsTotal)),
            snapshot.CreatedAt,
            snapshot.FinishedAt,
            snapshot.Result?.ToJson(RecipeMapping.Json),
            Error(snapshot.Failure),
            worker);
    }

    public static JobView From(ClusterJobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = record.Result is { } json ? JsonNode.Parse(json) : null;
        return new JobView(
            record.Id,
            record.Kind,
            StatusName(record.Status),
            record.Position,
            new JobProgressView(record.EvaluationsDone, record.EvaluationsTotal, Fraction(record.Status, record.EvaluationsDone, record.EvaluationsTotal)),
            record.CreatedAt,
            record.FinishedAt,
            result,
            Error(record.Failure),
            record.Status == JobStatus.Queued ? null : record.Worker);
    }

    public static JobEvent Event(string id, JobStatus status, long position, int done, int total) =>
        new(id, StatusName(status), position, done, total, Fraction(status, done, total));

    /// <summary>A result as it travels between replicas: the JSON its operation's endpoint answers.</summary>
    public static string ResultToJson(JobResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.ToJson(RecipeMapping.Json).ToJsonString(RecipeMapping.Json);
    }

    private static JobError? Error(JobFailure? failure) =>
        failure is null ? null : new JobError(failure.StatusCode, failure.Title, failure.Detail);
}
