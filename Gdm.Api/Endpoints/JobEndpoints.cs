using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Endpoints;

/// <summary>/v1/jobs: the same requests, answered at once with a job to follow, collect or cancel.</summary>
public static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this RouteGroupBuilder v1)
    {
        var jobs = v1.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapPost("/", CreateJob)
            .WithName("CreateJob")
            .WithSummary("Start a samples or variations request as a job")
            .WithDescription("Checks the request like the synchronous endpoint, admits it to the queue and answers 202 with the job id, " +
                             "its queue position and its Location. A full queue answers 429 with Retry-After.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
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

    public static Results<Accepted<JobAccepted>, ValidationProblem, ProblemHttpResult> CreateJob(
        JobRequest request,
        HttpContext http,
        ModelCatalog catalog,
        ImageGenerator generator,
        JobStore jobs,
        EngineQueue queue,
        IOptions<RequestLimitOptions> limits,
        IOptions<EngineOptions> engine)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!catalog.IsReady)
            return Problems.NotReady(http, engine.Value, catalog.Status);
        if ((request.Samples is null) == (request.Variations is null))
        {
            var missing = new RequestErrors();
            missing.Add("samples", "give exactly one of samples or variations");
            return Problems.Invalid(missing);
        }

        var kind = request.Samples is not null ? "samples" : "variations";
        var errors = new RequestErrors(kind);
        var plan = request.Samples is not null
            ? ImageEndpoints.PlanSamples(request.Samples, catalog, limits.Value, errors)
            : ImageEndpoints.PlanVariations(request.Variations!, catalog, limits.Value, errors);
        if (plan is null)
            return Problems.Invalid(errors);

        var job = jobs.Start(kind, async (tracker, token) => await plan.RunAsync(generator, tracker, token));
        var snapshot = job.Snapshot();
        if (snapshot.Failure is { StatusCode: StatusCodes.Status429TooManyRequests } full)
        {
            jobs.Forget(job);
            return Problems.QueueFull(http, engine.Value, full.Detail);
        }

        var location = $"/v1/jobs/{job.Id}";
        return TypedResults.Accepted(location, new JobAccepted(job.Id, StatusName(snapshot.Status), PositionOf(snapshot, queue), location, location + "/events"));
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
        snapshot.Failure is { } failure ? new JobError(failure.StatusCode, failure.Title, failure.Detail) : null);

    private static long PositionOf(JobSnapshot snapshot, EngineQueue queue) =>
        snapshot.Status == JobStatus.Queued && snapshot.Ticket is { } ticket ? queue.PositionOf(ticket) : 0;

    private static double Fraction(JobSnapshot snapshot) =>
        snapshot.Status == JobStatus.Succeeded ? 1.0
        : snapshot.EvaluationsTotal == 0 ? 0.0
        : (double)snapshot.EvaluationsDone / snapshot.EvaluationsTotal;

    private static string StatusName(JobStatus status) => status.ToString().ToLowerInvariant();
}
