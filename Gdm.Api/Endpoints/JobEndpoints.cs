using System.Net.ServerSentEvents;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

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
        jobs.MapGet("/", ListJobs)
            .WithName("ListJobs")
            .WithSummary("Recent jobs, newest first")
            .WithDescription("Optionally of one `status` (queued, running, succeeded, failed, cancelled); `skip` and `take` (at most 100) page through them. " +
                             "In cluster mode every replica lists the same jobs.");
        jobs.MapGet("/{id}", GetJob)
            .WithName("GetJob")
            .WithSummary("A job's status, progress and result")
            .WithDescription("Finished jobs are kept for a bounded time (Jobs:FinishedJobRetention), then answer 404.");
        jobs.MapGet("/{id}/events", FollowJob)
            .WithName("FollowJob")
            .WithSummary("Server-sent events with a job's progress")
            .WithDescription("A `progress` event whenever the job moves (queue position, evaluations done), then one `done` event with its final status. " +
                             "Each event has an id: a client that reconnects with `Last-Event-ID` gets the events after it.")
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
        ArgumentNullException.ThrowIfNull(images);
        if (!services.Catalog.IsReady)
            return Problems.NotReady(http, services.Engine.Value, services.Catalog.Status);
        var (kind, planned) = await PlanJobAsync(request, images, services, http.RequestAborted);
        if (planned.Problem is { } invalid)
            return invalid;

        var files = await images.FileBytesAsync(http.RequestAborted);
        var admission = await services.Jobs.SubmitAsync(new JobSubmission(kind, request, files, planned.Plan!), http.RequestAborted);
        if (admission.Accepted is not { } accepted)
            return admission.RefusedStatus == StatusCodes.Status400BadRequest
                ? Problems.TooMuchWork(admission.RefusedDetail ?? "the job cannot finish inside the deadline")
                : Problems.QueueFull(http, admission.RetryAfter, admission.RefusedDetail ?? "the queue is full");
        return TypedResults.Accepted(accepted.Location, accepted);
    }

    /// <summary>
    /// Checks a job request like its synchronous endpoint (images included) and plans its run, as a function of the
    /// job's progress and token: on the replica that accepts it, and again on the one that runs it.
    /// </summary>
    internal static async Task<(string Kind, Planned<Func<ProgressTracker, CancellationToken, Task<object>>> Planned)> PlanJobAsync(
        JobRequest request, RequestImages images, ImageServices services, CancellationToken cancellationToken)
    {
        var kinds = new (string Kind, object? Request)[]
        {
            ("samples", request.Samples), ("variations", request.Variations), ("encode", request.Encode), ("mix", request.Mix), ("traverse", request.Traverse),
        };
        if (kinds.Count(k => k.Request is not null) != 1)
        {
            var missing = new RequestErrors();
            missing.Add("samples", "give exactly one of samples, variations, encode, mix or traverse");
            return ("", new Planned<Func<ProgressTracker, CancellationToken, Task<object>>>(null, Problems.InvalidAsProblem(missing)));
        }

        var kind = kinds.First(k => k.Request is not null).Kind;
        return (kind, await RequestPlanning.PlanAsync(context => PlanAsync(request, services.Generator, context), images, services, cancellationToken, kind));
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

    public static async Task<Results<Ok<JobView[]>, ProblemHttpResult>> ListJobs(IJobBoard jobs, string? status, int? skip, int? take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        JobStatus? filter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<JobStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
            {
                var errors = new RequestErrors();
                errors.Add("status", $"'{status}' is not a job status: give queued, running, succeeded, failed or cancelled");
                return Problems.InvalidAsProblem(errors);
            }

            filter = parsed;
        }

        if (skip < 0 || take is < 1 or > 100)
        {
            var errors = new RequestErrors();
            errors.Add(skip < 0 ? "skip" : "take", skip < 0 ? "must be 0 or more" : "must be between 1 and 100");
            return Problems.InvalidAsProblem(errors);
        }

        return TypedResults.Ok((await jobs.ListAsync(filter, skip ?? 0, take ?? 20, cancellationToken)).ToArray());
    }

    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> GetJob(string id, IJobBoard jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return await jobs.GetAsync(id, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"no job {id}: it never existed or was finished long enough ago to be forgotten");
    }

    public static async Task<Results<ServerSentEventsResult<JobEvent>, ProblemHttpResult>> FollowJob(
        string id, IJobBoard jobs, [FromHeader(Name = "Last-Event-ID")] string? lastEventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return await jobs.FollowAsync(id, lastEventId, cancellationToken) is { } events
            ? TypedResults.ServerSentEvents(events)
            : Problems.NotFound($"no job {id}");
    }

    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> CancelJob(string id, IJobBoard jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var cancellation = await jobs.CancelAsync(id, cancellationToken);
        return cancellation.Outcome switch
        {
            JobCancellationOutcome.Missing => Problems.NotFound($"no job {id}"),
            JobCancellationOutcome.AlreadyFinished => Problems.Conflict($"job {id} has already finished as {cancellation.View?.Status ?? "done"}"),
            _ => TypedResults.Ok(cancellation.View!),
        };
    }
}
