using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Gdm.Api.Options;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Engine;

/// <summary>
/// Jobs by id. A job runs a request's work with its own deadline and DELETE token; finished jobs are kept for
/// FinishedJobRetention and at most MaxRetainedJobs of them (oldest finished out first), pruned on every access.
/// </summary>
public sealed class JobStore(
    IOptions<JobOptions> jobOptions,
    IOptions<EngineOptions> engineOptions,
    TimeProvider time,
    ILogger<JobStore> logger)
{
    private readonly ConcurrentDictionary<string, Job> _jobs = new();

    public int Count => _jobs.Count;

    /// <summary>Every job still kept, in no particular order.</summary>
    public IEnumerable<Job> All
    {
        get
        {
            Prune();
            return _jobs.Values;
        }
    }

    /// <summary>
    /// Starts a job. Work that fails before its first await (a full queue) leaves the returned job already finished,
    /// so the caller can answer synchronously and Forget it.
    /// </summary>
    public Job Start(string kind, JobRun run, string? owner = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        Prune();
        var cancellation = new CancellationTokenSource();
        var job = new Job(Guid.NewGuid().ToString("n"), kind, owner, time.GetUtcNow(), cancellation);
        _jobs[job.Id] = job;
        job.Completion = RunAsync(job, run);
        return job;
    }

    public bool TryGet(string id, [NotNullWhen(true)] out Job? job)
    {
        Prune();
        return _jobs.TryGetValue(id, out job);
    }

    /// <summary>Asks a queued or running job to stop; false when it has already finished.</summary>
    public bool TryCancel(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.IsFinished)
            return false;
        job.Cancellation.Cancel();
        return true;
    }

    public void Forget(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        _jobs.TryRemove(job.Id, out _);
    }

    /// <summary>
    /// Shutdown: every queued or running job fails (503) with a reason its client can act on, and its work leaves the
    /// engine. Returns how many; their followers get the final event before the service goes.
    /// </summary>
    public int FailUnfinished()
    {
        var failed = 0;
        foreach (var job in _jobs.Values.Where(j => !j.IsFinished))
        {
            job.Finish(JobStatus.Failed, null, new JobFailure(StatusCodes.Status503ServiceUnavailable, "Service stopping", ServiceStoppingException.Reason),
                time.GetUtcNow());
            job.Cancellation.Cancel();
            LogStopped(job);
            failed++;
        }

        return failed;
    }

    private async Task RunAsync(Job job, JobRun run)
    {
        using var deadline = new CancellationTokenSource(engineOptions.Value.RequestDeadline, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(job.Cancellation.Token, deadline.Token);
        try
        {
            var result = await run(job.Progress, linked.Token);
            job.Finish(JobStatus.Succeeded, result, null, time.GetUtcNow());
        }
        catch (OperationCanceledException) when (job.Cancellation.IsCancellationRequested)
        {
            job.Finish(JobStatus.Cancelled, null, new JobFailure(StatusCodes.Status409Conflict, "Cancelled", "the job was cancelled by DELETE"), time.GetUtcNow());
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            job.Finish(JobStatus.Failed, null, new JobFailure(StatusCodes.Status503ServiceUnavailable, "Deadline exceeded",
                $"the job did not finish within the request deadline of {engineOptions.Value.RequestDeadline.TotalSeconds:F0} s"), time.GetUtcNow());
        }
        catch (EngineBusyException e)
        {
            job.Finish(JobStatus.Failed, null, new JobFailure(StatusCodes.Status429TooManyRequests, "Too many requests", e.Message, e.RetryAfter), time.GetUtcNow());
        }
        catch (ServiceStoppingException e)
        {
            // Started while the service stops (its request was being checked when the drain began): in the log too.
            job.Finish(JobStatus.Failed, null, new JobFailure(StatusCodes.Status503ServiceUnavailable, "Service stopping", e.Message), time.GetUtcNow());
            LogStopped(job);
        }
        catch (WorkTooLargeException e)
        {
            job.Finish(JobStatus.Failed, null, new JobFailure(StatusCodes.Status400BadRequest, "Too much work for the deadline", e.Message), time.GetUtcNow());
        }
        catch (Exception e)
        {
            logger.LogError(e, "Job {JobId} ({JobKind}) failed", job.Id, job.Kind);
            job.Finish(JobStatus.Failed, null, new JobFailure(StatusCodes.Status500InternalServerError, "Job failed", e.Message), time.GetUtcNow());
        }
    }

    private void LogStopped(Job job) =>
        logger.LogWarning("Job {JobId} ({JobKind}) failed: the service is stopping; its client can resubmit it", job.Id, job.Kind);

    private void Prune()
    {
        var now = time.GetUtcNow();
        var retention = jobOptions.Value.FinishedJobRetention;
        foreach (var (id, job) in _jobs)
            if (job.FinishedAt is { } finished && finished + retention <= now)
                _jobs.TryRemove(id, out _);

        var excess = _jobs.Count - jobOptions.Value.MaxRetainedJobs;
        if (excess <= 0)
            return;
        foreach (var job in _jobs.Values.Where(j => j.FinishedAt is not null).OrderBy(j => j.FinishedAt).Take(excess).ToArray())
            _jobs.TryRemove(job.Id, out _);
    }
}
