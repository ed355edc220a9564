using System.Text.Json;
using System.Text.Json.Nodes;
using Gdm.Api.Engine;
using Gdm.Api.Hosting;

namespace Gdm.Api.Endpoints.Operations;

/// <summary>
/// One operation of the service (samples, variations, encode, mix, traverse, interpolate): how its request is checked
/// once into a plan, how the plan runs, and how its result is written. OperationEndpoints.MapOperation exposes it as a
/// JSON endpoint, its multipart/form-data twin and a job kind, with the ready check, the overload answers, image/png
/// for a one-image result and its Swagger example, all from this one description.
/// </summary>
/// <typeparam name="TRequest">The wire request (Endpoints/Contracts).</typeparam>
/// <typeparam name="TPlan">The checked request: everything the run needs, decided once.</typeparam>
/// <typeparam name="TResult">The wire result, the same for a waiting client and a job.</typeparam>
public abstract class Operation<TRequest, TPlan, TResult> : IOperation
    where TRequest : class
    where TPlan : class
    where TResult : class
{
    public abstract string Name { get; }

    public abstract string Summary { get; }

    public abstract string Description { get; }

    public virtual string Tag => "Images";

    /// <summary>Whether requests carry uploaded images (a multipart twin, the upload body limit).</summary>
    public virtual bool TakesImages => true;

    public Type RequestType => typeof(TRequest);

    public Type ResultType => typeof(TResult);

    /// <summary>The request checked into its plan, or null after adding errors; a bad image throws UploadRejectedException.</summary>
    public abstract Task<TPlan?> PlanAsync(TRequest request, PlanningContext context);

    public abstract Task<TResult> RunAsync(TPlan plan, OperationRun run);

    /// <summary>Whether the plan's answer is one image, so a client may ask for it as image/png.</summary>
    public abstract bool MakesOneImage(TPlan plan);

    /// <summary>That one image's PNG (planned with png as the format when the client asked for image/png).</summary>
    public abstract byte[] Png(TResult result);

    /// <summary>A request that works as it stands in Swagger UI's "Try it out" (images as base64).</summary>
    public abstract JsonObject Example(RequestExamples examples);

    /// <summary>The `request` part of the multipart form, its images naming the uploaded files; null for operations without images.</summary>
    public virtual JsonObject? UploadExample(RequestExamples examples) => null;

    async Task<JobRun?> IOperation.PlanJobAsync(JsonElement request, string path, PlanningContext context, ImageGenerator generator)
    {
        var typed = WireJson.Read<TRequest>(request, path, context.Errors);
        if (typed is null || await PlanAsync(typed, context) is not { } plan)
            return null;
        return async (tracker, token) => new JobResult<TResult>(await RunAsync(plan, new OperationRun(generator, tracker, token)));
    }
}

/// <summary>What a running plan works with: the engine's generator, the progress of its job (null for a waiting client) and its token.</summary>
public sealed record OperationRun(ImageGenerator Generator, ProgressTracker? Tracker, CancellationToken CancellationToken);

/// <summary>An operation seen from the job endpoint: a name, and a request in JSON planned into a job's run.</summary>
public interface IOperation
{
    string Name { get; }

    Type RequestType { get; }

    Type ResultType { get; }

    bool TakesImages { get; }

    JsonObject Example(RequestExamples examples);

    JsonObject? UploadExample(RequestExamples examples);

    /// <summary>The job's run, or null with errors added (paths under path, e.g. "encode.image").</summary>
    Task<JobRun?> PlanJobAsync(JsonElement request, string path, PlanningContext context, ImageGenerator generator);
}
