using System.Security.Claims;
using System.Text.Json;
using Gdm.Api.Access;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Images;
using Gdm.Api.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Gdm.Api.Endpoints;

/// <summary>/v1/jobs: any operation's request, answered at once with a job to follow, collect or cancel; and the recent jobs.</summary>
public static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this RouteGroupBuilder v1)
    {
        var jobs = v1.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapPost("/", async (HttpContext http, [AsParameters] ImageServices services) =>
                await StartAsync(await RequestBody.ReadTextAsync(http), "body", services.Uploads.For([]), http, services))
            .WithName("CreateJob")
            .WithSummary("Start any operation's request as a job")
            .WithDescription("The body is `{ \"<operation>\": request }` with exactly one operation (samples, variations, encode, mix, traverse, " +
                             "interpolate) and its request as that endpoint takes it. It is checked like the synchronous endpoint (images " +
                             "included: JSON base64, or multipart/form-data with the JSON job in the part `request` and the files in `images`), " +
                             "admitted to the queue and answered 202 with the job id, its queue position and its Location. A full queue answers 429 with Retry-After, as does a key that has its share of unfinished jobs (FairShare:ActiveJobsPerKey).")
            .WithMetadata(new JobRequestMetadata())
            .Accepts<JsonElement>("application/json")
            .Produces<JobAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .AcceptsImageUploads(typeof(JsonElement));
        jobs.MapUploadForm("CreateJobFromUpload", "/", typeof(JsonElement), (text, files, http, services) =>
            StartAsync(text, UploadForms.RequestPart, services.Uploads.For(files), http, services));
        jobs.MapGet("/", ListJobs)
            .WithName("ListJobs")
            .WithSummary("Recent jobs, newest first")
            .WithDescription("Optionally of one `status` (queued, running, succeeded, failed, cancelled); `skip` and `take` (at most 100) page through them. " +
                             "In cluster mode every replica lists the same jobs; with API keys, only the caller's key's jobs.")
            .ProducesValidationProblem();
        jobs.MapGet("/{id}", GetJob)
            .WithName("GetJob")
            .WithSummary("A job's status, progress and result")
            .WithDescription("Finished jobs are kept for a bounded time (Jobs:FinishedJobRetention), then answer 404. With API keys a job is " +
                             "visible only to the key that created it: another key gets 404, as for its events and its cancellation.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id}/events", FollowJob)
            .WithName("FollowJob")
            .WithSummary("Server-sent events with a job's progress")
            .WithDescription("A `progress` event whenever the job moves (queue position, evaluations done), then one `done` event with its final status. " +
                             "Each event has an id: a client that reconnects with `Last-Event-ID` gets the events after it.")
            .Produces<JobEvent>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapDelete("/{id}", CancelJob)
            .WithName("CancelJob")
            .WithSummary("Cancel a queued or running job")
            .WithDescription("Its trajectories leave the batch at the next step and free their slots; answers the job, now cancelled. " +
                             "A job that already finished answers 409.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return v1;
    }

    private static async Task<IResult> StartAsync(string? text, string bodyField, RequestImages images, HttpContext http, ImageServices services)
    {
        if (!services.Catalog.IsReady)
            return Problems.NotReady(http, services.Engine.Value, services.Catalog.Status);
        var errors = new RequestErrors();
        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "null" : text);
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            errors.Add(bodyField, $"is not JSON: it cannot be read at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
            return Problems.Invalid(errors);
        }

        var (kind, run, problem) = await PlanJobAsync(body, bodyField, images, services, http.RequestAborted);
        if (problem is not null)
            return problem;

        var files = await images.FileBytesAsync(http.RequestAborted);
        var admission = await services.Jobs.SubmitAsync(new JobSubmission(kind, body, files, run!, http.User.KeyId()), http.RequestAborted);
        if (admission.Accepted is not { } accepted)
            return admission.RefusedStatus switch
            {
                StatusCodes.Status400BadRequest => Problems.TooMuchWork(admission.RefusedDetail ?? "the job cannot finish inside the deadline"),
                StatusCodes.Status503ServiceUnavailable => Problems.Stopping(http, services.Engine.Value, admission.RefusedDetail ?? "the service is stopping"),
                _ => Problems.QueueFull(http, admission.RetryAfter, admission.RefusedDetail ?? "the queue is full"),
            };
        return TypedResults.Accepted(accepted.Location, accepted);
    }

    /// <summary>
    /// Checks a job body `{ "&lt;operation&gt;": request }` like the operation's synchronous endpoint (images included) and
    /// plans its run: on the replica that accepts it, and again on the one that runs it.
    /// </summary>
    internal static async Task<(string Kind, JobRun? Run, ProblemHttpResult? Problem)> PlanJobAsync(
        JsonElement body, string bodyField, RequestImages images, ImageServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(services);
        var errors = new RequestErrors();
        var names = string.Join(", ", services.Operations.Names);
        var members = body.ValueKind == JsonValueKind.Object ? body.EnumerateObject().ToArray() : [];
        if (members.Length != 1)
        {
            errors.Add(members.Length == 0 ? bodyField : members[1].Name, $"give exactly one operation and its request, {{ \"<operation>\": {{ ... }} }}, one of {names}");
            return ("", null, Problems.Invalid(errors));
        }

        var (kind, request) = (members[0].Name, members[0].Value);
        if (!services.Operations.TryGet(kind, out var operation))
        {
            errors.Add(kind, $"is not an operation; the operations are {names}");
            return (kind, null, Problems.Invalid(errors));
        }

        try
        {
            var planning = new RequestErrors(kind);
            var context = new PlanningContext(images, services.Catalog, services.Limits.Value, planning, false, cancellationToken);
            var run = await operation.PlanJobAsync(request, "", context, services.Generator);
            if (run is null)
                return (kind, null, Problems.Invalid(planning));
            images.EnsureEveryFileUsed();
            return (kind, run, null);
        }
        catch (UploadRejectedException rejected)
        {
            return (kind, null, Problems.Upload(rejected, kind));
        }
    }

    public static async Task<Results<Ok<JobView[]>, ProblemHttpResult>> ListJobs(
        IJobBoard jobs, ClaimsPrincipal user, string? status, int? skip, int? take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var errors = new RequestErrors();
        JobStatus? filter = null;
        var statuses = Enum.GetValues<JobStatus>();
        if (status is not null)
        {
            filter = statuses.Where(s => JobViews.StatusName(s) == status).Select(s => (JobStatus?)s).FirstOrDefault();
            if (filter is null)
                errors.Add("status", $"must be one of {string.Join(", ", statuses.Select(JobViews.StatusName))}, got '{status}'");
        }

        if (skip < 0)
            errors.Add("skip", $"must be 0 or more, got {skip}");
        if (take is < 1 or > 100)
            errors.Add("take", $"must be between 1 and 100, got {take}");
        if (errors.Any)
            return Problems.Invalid(errors);
        return TypedResults.Ok((await jobs.ListAsync(user.KeyId(), filter, skip ?? 0, take ?? 20, cancellationToken)).ToArray());
    }

    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> GetJob(string id, IJobBoard jobs, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return await jobs.GetAsync(id, user.KeyId(), cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"no job {id}: it never existed or was finished long enough ago to be forgotten");
    }

    public static async Task<Results<ServerSentEventsResult<JobEvent>, ProblemHttpResult>> FollowJob(
        string id, IJobBoard jobs, ClaimsPrincipal user, [FromHeader(Name = "Last-Event-ID")] string? lastEventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return await jobs.FollowAsync(id, user.KeyId(), lastEventId, cancellationToken) is { } events
            ? TypedResults.ServerSentEvents(events)
            : Problems.NotFound($"no job {id}");
    }

    public static async Task<Results<Ok<JobView>, ProblemHttpResult>> CancelJob(string id, IJobBoard jobs, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var cancellation = await jobs.CancelAsync(id, user.KeyId(), cancellationToken);
        return cancellation.Outcome switch
        {
            JobCancellationOutcome.Missing => Problems.NotFound($"no job {id}"),
            JobCancellationOutcome.AlreadyFinished => Problems.Conflict($"job {id} has already finished as {cancellation.View?.Status ?? "done"}"),
            _ => TypedResults.Ok(cancellation.View!),
        };
    }
}

/// <summary>Marks POST /v1/jobs, whose request schema and examples are built from the operation catalog.</summary>
public sealed record JobRequestMetadata;
