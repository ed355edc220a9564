using System.Globalization;
using Gdm.Api.Options;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gdm.Api.Endpoints;

/// <summary>The service's error answers, all ProblemDetails; overload answers carry Retry-After.</summary>
public static class Problems
{
    public static ValidationProblem Invalid(RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return TypedResults.ValidationProblem(errors.ToDictionary(), detail: errors.Summary(), title: "The request is not valid");
    }

    public static ProblemHttpResult QueueFull(HttpContext http, EngineOptions options, string detail) =>
        WithRetryAfter(http, options, StatusCodes.Status429TooManyRequests, "Too many requests", detail);

    public static ProblemHttpResult DeadlineExceeded(HttpContext http, EngineOptions options) =>
        WithRetryAfter(http, options, StatusCodes.Status503ServiceUnavailable, "Deadline exceeded",
            $"the request did not finish within its deadline of {options.RequestDeadline.TotalSeconds:F1} s; the service is busy");

    public static ProblemHttpResult NotReady(HttpContext http, EngineOptions options, string status) =>
        WithRetryAfter(http, options, StatusCodes.Status503ServiceUnavailable, "Not ready", $"the models are not ready yet: {status}");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static ProblemHttpResult NotAcceptable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status406NotAcceptable, title: "Not acceptable", detail: detail);

    /// <summary>The client went away; nobody reads this, but the log and the metrics see 499.</summary>
    public static ProblemHttpResult ClientClosed() =>
        TypedResults.Problem(statusCode: 499, title: "Client closed the request");

    private static ProblemHttpResult WithRetryAfter(HttpContext http, EngineOptions options, int status, string title, string detail)
    {
        http.Response.Headers.RetryAfter = Math.Ceiling(options.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: status, title: title, detail: detail);
    }
}
