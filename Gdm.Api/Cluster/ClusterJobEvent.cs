using System.Globalization;
using Gdm.Api.Engine;
using StackExchange.Redis;

namespace Gdm.Api.Cluster;

/// <summary>One entry of a job's event stream; Id is the stream entry id, which SSE sends as the event id (Last-Event-ID resumes after it).</summary>
public sealed record ClusterJobEvent(string Id, string Type, JobStatus Status, long Position, int EvaluationsDone, int EvaluationsTotal)
{
    public bool IsDone => Type == "done";

    internal static ClusterJobEvent From(StreamEntry entry)
    {
        string Field(string name) => entry[name].ToString();
        int Number(string name) => int.Parse(Field(name), CultureInfo.InvariantCulture);
        return new ClusterJobEvent(
            entry.Id.ToString(),
            Field("type"),
            Enum.Parse<JobStatus>(Field("status"), ignoreCase: true),
            long.Parse(Field("position"), CultureInfo.InvariantCulture),
            Number("done"),
            Number("total"));
    }
}
