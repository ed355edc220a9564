using Gdm.Api.Images;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Gdm.Api.Hosting;

/// <summary>
/// Exceptions to ProblemDetails without internals: a body over its limit 413, an unbindable route or query value 400,
/// busy image decoders 503 with Retry-After, the cluster's Redis not answering 503 with Retry-After, anything else 500.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        // Bodies are read by WireJson, which names the member at fault; what reaches here is a route or query value that
        // could not be bound, a body over its limit, busy decoders, or a failure of the service. No exception's text is
        // shown for the first: it may name .NET types.
        ProblemDetails problem = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Request body too large",
                Detail = "body: larger than the request body limit (Limits:MaxRequestBodyBytes, or Uploads:MaxRequestBodyBytes for endpoints that take images)",
            },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "Bad request",
                Detail = "a route or query value, or the form, could not be read: check them against the API description (/swagger)",
            },
            UploadsBusyException busy => Busy(httpContext, busy),
            _ when Cluster.RedisOutage.Is(exception) => RedisDown(httpContext),
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal error",
                Detail = "the service failed on this request; the log has the details",
            },
        };
        if (problem.Status == StatusCodes.Status500InternalServerError)
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path.Value);

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    // Redis holds the cluster's queue and jobs: without it nothing can be queued or read, but it usually comes back
    // (a failover, a stall), so the client is told to retry rather than that the service failed.
    private ProblemDetails RedisDown(HttpContext http)
    {
        logger.LogWarning("Redis did not answer on {Method} {Path}", http.Request.Method, http.Request.Path.Value);
        http.Response.Headers.RetryAfter = "5";
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Job store unavailable",
            Detail = "the cluster's job store (Redis) is not answering; send the request again in a few seconds",
        };
    }

    private static ProblemDetails Busy(HttpContext http, UploadsBusyException busy)
    {
        http.Response.Headers.RetryAfter = Math.Ceiling(busy.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "Image decoders busy", Detail = busy.Message };
    }
}
