using Gdm.Api.Engine;
using Gdm.Api.Options;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gdm.Api.Endpoints;

/// <summary>Engine work's value for a waiting client, or the problem to answer instead.</summary>
public readonly record struct EngineOutcome<T>(T? Value, ProblemHttpResult? Problem);

/// <summary>
/// Runs engine work for a waiting client: the request deadline and the client's disconnect end its trajectories; a full
/// queue (or one too long to finish in time) answers 429 with Retry-After from its drain time, work too large for the
/// deadline 400, the deadline 503 with Retry-After, a client that left 499.
/// </summary>
public static class EngineCall
{
    public static async Task<EngineOutcome<T>> RunAsync<T>(Func<CancellationToken, Task<T>> run, HttpContext http, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        using var deadline = new CancellationTokenSource(options.RequestDeadline);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, deadline.Token);
        try
        {
            return new EngineOutcome<T>(await run(linked.Token), null);
        }
        catch (EngineBusyException e)
        {
            return new EngineOutcome<T>(default, Problems.QueueFull(http, e.RetryAfter, e.Message));
        }
        catch (WorkTooLargeException e)
        {
            return new EngineOutcome<T>(default, Problems.TooMuchWork(e.Message));
        }
        catch (ServiceStoppingException e)
        {
            return new EngineOutcome<T>(default, Problems.Stopping(http, options, e.Message));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return new EngineOutcome<T>(default, Problems.DeadlineExceeded(http, options));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return new EngineOutcome<T>(default, Problems.ClientClosed());
        }
    }
}
