using System.Text.Json;
using Gdm.Api.Images;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Gdm.Api.Hosting;

/// <summary>
/// Exceptions to ProblemDetails. A body that is not valid JSON for its contract names the field from the JSON path
/// ("$.sampler" -> "sampler"); busy image decoders are a 503 with Retry-After; anything unexpected is a 500 without internals.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ProblemDetails problem = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Request body too large",
                Detail = "body: larger than the request body limit (Limits:MaxRequestBodyBytes, or Uploads:MaxRequestBodyBytes for endpoints that take images)",
            },
            BadHttpRequestException { InnerException: JsonException json } => Invalid(FieldOf(json.Path), json.Message),
            BadHttpRequestException bad when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) => Invalid("body", bad.Message),
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = "Bad request", Detail = bad.Message },
            UploadsBusyException busy => Busy(httpContext, busy),
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

    private static ProblemDetails Busy(HttpContext http, UploadsBusyException busy)
    {
        http.Response.Headers.RetryAfter = Math.Ceiling(busy.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "Image decoders busy", Detail = busy.Message };
    }

    private static HttpValidationProblemDetails Invalid(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid",
            Detail = $"{field}: {message}",
        };

    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
