using System.Text.Json;
using Gdm.Api.Cluster;
using Gdm.Api.Endpoints;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;

namespace Gdm.Api.Jobs;

/// <summary>
/// Jobs in wire terms, from a job of this process or a job record read from Redis. A result travels between replicas
/// as the JSON of its wire type, which the job's kind names.
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
            snapshot.Result as ImagesResponse,
            Error(snapshot.Failure),
            snapshot.Result as EncodeResponse,
            snapshot.Result as TraverseResponse,
            worker);
    }

    public static JobView From(ClusterJobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = record.Result is { } json ? ResultFromJson(record.Kind, json) : null;
        return new JobView(
            record.Id,
            record.Kind,
            StatusName(record.Status),
            record.Position,
            new JobProgressView(record.EvaluationsDone, record.EvaluationsTotal, Fraction(record.Status, record.EvaluationsDone, record.EvaluationsTotal)),
            record.CreatedAt,
            record.FinishedAt,
            result as ImagesResponse,
            Error(record.Failure),
            result as EncodeResponse,
            result as TraverseResponse,
            record.Status == JobStatus.Queued ? null : record.Worker);
    }

    public static JobEvent Event(string id, JobStatus status, long position, int done, int total) =>
        new(id, StatusName(status), position, done, total, Fraction(status, done, total));

    public static string ResultToJson(object result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return JsonSerializer.Serialize(result, result.GetType(), RecipeMapping.Json);
    }

    // The wire type of each kind's result: encode and traverse have their own, the others answer images.
    private static object? ResultFromJson(string kind, string json) => kind switch
    {
        "encode" => JsonSerializer.Deserialize<EncodeResponse>(json, RecipeMapping.Json),
        "traverse" => JsonSerializer.Deserialize<TraverseResponse>(json, RecipeMapping.Json),
        _ => JsonSerializer.Deserialize<ImagesResponse>(json, RecipeMapping.Json),
    };

    private static JobError? Error(JobFailure? failure) =>
        failure is null ? null : new JobError(failure.StatusCode, failure.Title, failure.Detail);
}
