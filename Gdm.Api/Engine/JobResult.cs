using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gdm.Api.Engine;

/// <summary>A finished job's result, typed by its operation; written as the operation's endpoint would answer.</summary>
public abstract record JobResult
{
    public abstract JsonNode ToJson(JsonSerializerOptions options);
}

public sealed record JobResult<T>(T Value) : JobResult
{
    public override JsonNode ToJson(JsonSerializerOptions options) => JsonSerializer.SerializeToNode(Value, options)!;
}

/// <summary>A job's work: a checked plan run with the job's progress and token.</summary>
public delegate Task<JobResult> JobRun(ProgressTracker tracker, CancellationToken cancellationToken);
