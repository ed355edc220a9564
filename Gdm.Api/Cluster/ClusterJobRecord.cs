using System.Globalization;
using Gdm.Api.Engine;
using StackExchange.Redis;

namespace Gdm.Api.Cluster;

/// <summary>
/// A job's state as any replica reads it from its hash; Position is 1-based while it waits for a first replica, else 0;
/// Owner is the key id that submitted it (null without API keys).
/// </summary>
public sealed record ClusterJobRecord(
    string Id,
    string Kind,
    JobStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    int EvaluationsDone,
    int EvaluationsTotal,
    long Position,
    string? Worker,
    long Attempt,
    string? Result,
    JobFailure? Failure,
    string? Owner)
{
    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    internal static ClusterJobRecord? From(HashEntry[] entries, long? rank)
    {
        if (entries.Length == 0)
            return null;
        var fields = entries.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        string? Field(string name) => fields.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        long Number(string name) => Field(name) is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : 0;
        DateTimeOffset? Time(string name) => Field(name) is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value, CultureInfo.InvariantCulture)) : null;

        var failure = Field("errorStatus") is { } code
            ? new JobFailure(int.Parse(code, CultureInfo.InvariantCulture), Field("errorTitle") ?? "", Field("errorDetail") ?? "")
            : null;
        return new ClusterJobRecord(
            Field("id") ?? "",
            Field("kind") ?? "",
            Enum.Parse<JobStatus>(Field("status") ?? "queued", ignoreCase: true),
            Time("createdAt") ?? DateTimeOffset.UnixEpoch,
            Time("finishedAt"),
            (int)Number("done"),
            (int)Number("total"),
            rank is { } r ? r + 1 : 0,
            Field("worker"),
            Number("attempt"),
            Field("result"),
            failure,
            Field("owner"));
    }
}
