using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gdm.Api.Endpoints;

/// <summary>/v1/jobs: the same requests, answered at once with a job to follow, collect or cancel.</summary>
public static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this RouteGroupBuilder v1)
    {
        var jobs = v1.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapPost("/", CreateJob)
            .WithName("CreateJob")
            .WithSummary("Start a samples, variations, encode, mix or traverse request as a job")
            .WithDescription("Checks the request like the synchronous endpoint (images included: JSON base64, or multipart/form-data with " +
                             "the JSON job in the part `request` and the files in `images`), admits it to the queue and answers 202 with the " +
                             "job id, its queue position and its Location. A full queue answers 429 with Retry-After.")
            .AcceptsImageUploads<JobRequest>()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        jobs.MapUploadForm<JobRequest, Results<Accepted<JobAccepted>, ProblemHttpResult>>("/", "CreateJobFromUpload", StartJobAsync);
        jobs.MapGet("/{id}", GetJob)
            .WithName("GetJob")
            .WithSummary("A job's status, progress and result")
            .WithDescription("Finished jobs are kept for a bounded time (Jobs:FinishedJobRetention), then answer 404.");
        jobs.MapGet("/{id}/events", FollowJob)
            .WithName("FollowJob")
            .WithSummary("Server-sent events with a job's progress")
            .WithDescription("A `progress` event whenever the job moves (queue position, evaluations done), then one `done` event with its final status.")
            .Produces<JobEvent>(StatusCodes.Status200OK, "text/event-stream");
        jobs.MapDelete("/{id}", CancelJob)
            .WithName("CancelJob")
            .WithSummary("Cancel a queued or running job")
            .WithDescription("Its trajectories leave the batch at the next step and free their slots; answers the job, now cancelled. " +
                             "A job that already finished answers 409.");
        return v1;
    }

    public static Task<Results<Accepted<JobAccepted>, ProblemHttpResult>> CreateJob(JobRequest request, HttpContext http, [AsParameters] ImageServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return StartJobAsync(request, services.Uploads.For([]), http, services);
    }

    internal static async Task<Results<Accepted<JobAccepted>, ProblemHttpResult>> StartJobAsync(
        JobRequest request,
        RequestImages images,
        HttpContext http,
        ImageServices services)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!services.Catalog.IsReady)
            return Problems.NotReady(http, services.Engine.Value, services.Catalog.Status);
        var kinds = new (string Kind, object? Request)[]
        {
            ("samples", request.Samples), ("variations", request.Variations), ("encode", request.Encode), ("mix", request.Mix), ("traverse", request.Traverse),
        };
        if (kinds.Count(k => k.Request is not null) != 1)
        {
            var missing = new RequestErrors();
            missing.Add("samples", "give exactly one of samples, variations, encode, mix or traverse");
            return Problems.InvalidAsProblem(missing);
        }

        var kind = kinds.First(k => k.Request is not null).Kind;
        var planned = await RequestPlanning.PlanAsync(context => PlanAsync(request, services.Generator, context), images, services, http.RequestAborted, kind);
        if (planned.Problem is { } invalid)
            return invalid;

        var job = services.Jobs.Start(kind, planned.Plan!);
        var snapshot = job.Snapshot();
        if (snapshot.Failure is { StatusCode: StatusCodes.Status429TooManyRequests } full)
        {
            services.Jobs.Forget(job);
            return Problems.QueueFull(http, services.Engine.Value, full.Detail);
        }

        var location = $"/v1/jobs/{job.Id}";
        return TypedResults.Accepted(location, new JobAccepted(job.Id, StatusName(snapshot.Status), PositionOf(snapshot, services.Queue), location, location + "/events"));
    }

    // The job's run: the request checked like its synchronous endpoint, as a function of the job's progress and token.
    private static async Task<Func<ProgressTracker, CancellationToken, Task<object>>?> PlanAsync(
        JobRequest request, ImageGenerator generator, PlanningContext context)
    {
        if (request.Samples is { } samples)
            return ImageEndpoints.PlanSamples(samples, context.Catalog, context.Limits, context.Errors) is { } plan ? async (tracker, token) => await plan.RunAsync(generator, tracker, token) : null;
        if (request.Variations is { } variations)
            return await ImageEndpoints.PlanVariationsAsync(variations, context) is { } plan
                ? async (tracker, token) => await plan.RunAsync(generator, tracker, token)
                : null;
        if (request.Encode is { } encode)
            return await EncodePlan.CreateAsync(encode, context) is { } plan
                ? async (tracker, token) => await plan.RunAsync(generator, tracker, token)
                : null;
        if (request.Mix is { } mix)
            return await MixPlan.CreateAsync(mix, context) is { } plan
                ? async (tracker, token) => await plan.RunAsync(generator, tracker, token)
                : null;
        return await TraversePlan.CreateAsync(request.Traverse!, context) is { } traversal
            ? async (tracker, token) => await traversal.RunAsync(generator, tracker, token)
            : null;
    }

    public static Results<Ok<JobView>, ProblemHttpResult> GetJob(string id, JobStore jobs, EngineQueue queue)
    {
        if (!jobs.TryGet(id, out var job))
            return Problems.NotFound($"no job {id}: it never existed or was finished long enough ago to be forgotten");
        return TypedResults.Ok(ToView(job.Snapshot(), queue));
    }

    public static Results<ServerSentEventsResult<JobEvent>, ProblemHttpResult> FollowJob(string id, JobStore jobs, EngineQueue queue, CancellationToken cancellationToken)
    {
        if (!jobs.TryGet(id, out var job))
            return Problems.NotFound($"no job {id}");
        return TypedResults.ServerSentEvents(Events(job, queue, cancellationToken));
    }

    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> CancelJob(string id, JobStore jobs, EngineQueue queue, CancellationToken cancellationToken)
    {
        if (!jobs.TryGet(id, out var job))
            return Problems.NotFound($"no job {id}");
        if (!jobs.TryCancel(job))
            return Problems.Conflict($"job {id} has already finished as {StatusName(job.Snapshot().Status)}");
        await job.Completion.WaitAsync(cancellationToken);
        return TypedResults.Ok(ToView(job.Snapshot(), queue));
    }

    private static async IAsyncEnumerable<SseItem<JobEvent>> Events(Job job, EngineQueue queue, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JobEvent? last = null;
        while (true)
        {
            var changed = job.Progress.Changed.Next;
            var snapshot = job.Snapshot();
            var next = new JobEvent(job.Id, StatusName(snapshot.Status), PositionOf(snapshot, queue), snapshot.EvaluationsDone,
                snapshot.EvaluationsTotal, Fraction(snapshot));
            if (next != last)
            {
                yield return new SseItem<JobEvent>(next, snapshot.IsFinished ? "done" : "progress");
                last = next;
            }

            if (snapshot.IsFinished)
                yield break;
            await changed.WaitAsync(cancellationToken);
        }
    }

    private static JobView ToView(JobSnapshot snapshot, EngineQueue queue) => new(
        snapshot.Id,
        snapshot.Kind,
        StatusName(snapshot.Status),
        PositionOf(snapshot, queue),
        new JobProgressView(snapshot.EvaluationsDone, snapshot.EvaluationsTotal, Fraction(snapshot)),
        snapshot.CreatedAt,
        snapshot.FinishedAt,
        snapshot.Result as ImagesResponse,
        snapshot.Failure is { } failure ? new JobError(failure.StatusCode, failure.Title, failure.Detail) : null,
        snapshot.Result as EncodeResponse,
        snapshot.Result as TraverseResponse);

    private static long PositionOf(JobSnapshot snapshot, EngineQueue queue) =>
        snapshot.Status == JobStatus.Queued && snapshot.Ticket is { } ticket ? queue.PositionOf(ticket) : 0;

    private static double Fraction(JobSnapshot snapshot) =>
        snapshot.Status == JobStatus.Succeeded ? 1.0
        : snapshot.EvaluationsTotal == 0 ? 0.0
        : (double)snapshot.EvaluationsDone / snapshot.EvaluationsTotal;

    private static string StatusName(JobStatus status) => status.ToString().ToLowerInvariant();
}
