using Gdm.Api.Engine;
using Gdm.Api.Options;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Hosting;

/// <summary>
/// SIGTERM without resets. At the stop signal readiness turns 503 and new /v1 work is answered 503 with Retry-After
/// (the server still accepts, so clients get an answer, not a refused connection). Before the server stops (this runs
/// in the host's Stopping phase, ahead of every hosted service's StopAsync): waiting engine work and every unfinished
/// job fail with a reason to resubmit, the synchronous requests in flight get DrainTime to finish, and whatever still
/// runs after it is answered 503. Only then does Kestrel stop, with nothing left in flight to reset. With Cluster:Redis
/// the jobs are left to the cluster worker's own drain (they survive on a peer).
/// </summary>
public sealed class GracefulShutdown(
    IHostApplicationLifetime lifetime,
    EngineQueue queue,
    JobStore jobs,
    InFlightRequests inFlight,
    IOptions<ShutdownOptions> options,
    IOptions<ClusterOptions> cluster,
    ILogger<GracefulShutdown> logger) : IHostedLifecycleService
{
    private volatile bool _stopping;

    /// <summary>From the stop signal on: readiness is 503 and new work is refused.</summary>
    public bool IsStopping => _stopping;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(BeginStopping);
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        BeginStopping();
        // In a cluster the jobs are not this process's to fail: the cluster worker drains them and hands the rest back
        // to its peers (after this, in its own StopAsync); only the synchronous requests are waited for here.
        var clustered = cluster.Value.Enabled;
        if (!clustered)
            queue.Stop();
        var failed = clustered ? 0 : jobs.FailUnfinished();
        var drain = options.Value.DrainTime;
        logger.LogInformation(
            "Stopping: readiness is 503, new work is refused, {FailedJobs} unfinished jobs failed (resubmit), {InFlight} requests in flight get {DrainSeconds} s",
            failed, inFlight.Count, drain.TotalSeconds);
        if (!await Finishes(inFlight.WhenIdle, drain, cancellationToken) && !clustered)
        {
            logger.LogWarning("Stopping: {InFlight} requests still running after the drain time are answered 503", inFlight.Count);
            queue.Abandon();
            await Finishes(inFlight.WhenIdle, TimeSpan.FromSeconds(5), cancellationToken);
        }

        logger.LogInformation("Stopping: no request in flight; the server stops");
    }

    /// <summary>Answers /health/ready and new /v1 work with 503 once the service is stopping.</summary>
    public async Task GuardAsync(HttpContext http, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        var path = http.Request.Path;
        var isWork = path.StartsWithSegments("/v1") && HttpMethods.IsPost(http.Request.Method);
        if (_stopping && (isWork || path.StartsWithSegments("/health/ready")))
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            if (isWork)
                http.Response.Headers.RetryAfter = Math.Ceiling(options.Value.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Service stopping",
                    Detail = isWork ? "the service is shutting down: send the request again to another replica, or to this one once it is back" : "the service is shutting down",
                },
            });
            return;
        }

        if (!path.StartsWithSegments("/v1"))
        {
            await next(http);
            return;
        }

        inFlight.Enter();
        try
        {
            await next(http);
        }
        finally
        {
            inFlight.Exit();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void BeginStopping()
    {
        if (_stopping)
            return;
        _stopping = true;
        logger.LogInformation("Stop signal: readiness answers 503 from now on");
    }

    private static async Task<bool> Finishes(Task task, TimeSpan within, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(within, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
