using System.Globalization;
using Gdm.Api.Images;
using Gdm.Api.Options;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gdm.Api.Endpoints;

/// <summary>The service's error answers, all ProblemDetails; overload answers carry Retry-After.</summary>
public static class Problems
{
    /// <summary>400 naming each field at fault (ValidationProblemDetails: `errors` by JSON path, `detail` the first).</summary>
    public static ProblemHttpResult Invalid(RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid",
            Detail = errors.Summary(),
        });
    }

    /// <summary>A rejected upload: 400 (not a usable PNG or JPEG) or 413 (too many bytes or pixels), naming the image's field.</summary>
    public static ProblemHttpResult Upload(UploadRejectedException rejected, string root = "")
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var field = RequestErrors.Join(root, rejected.Field);
        return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [rejected.Message] })
        {
            Status = rejected.StatusCode,
            Title = rejected.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Image too large" : "The image cannot be used",
            Detail = $"{field}: {rejected.Message}",
        });
    }

    /// <summary>429: what is admitted ahead keeps this from finishing in time; Retry-After is the estimated time to drain it.</summary>
    public static ProblemHttpResult QueueFull(HttpContext http, TimeSpan retryAfter, string detail)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: detail);
    }

    /// <summary>400: the request needs more network time than its deadline allows, even alone.</summary>
    public static ProblemHttpResult TooMuchWork(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Too much work for the deadline", detail: detail);

    public static ProblemHttpResult DeadlineExceeded(HttpContext http, EngineOptions options) =>
        WithRetryAfter(http, options, StatusCodes.Status503ServiceUnavailable, "Deadline exceeded",
            $"the request did not finish within its deadline of {options.RequestDeadline.TotalSeconds:F1} s; the service is busy");

    public static ProblemHttpResult Stopping(HttpContext http, EngineOptions options, string detail) =>
        WithRetryAfter(http, options, StatusCodes.Status503ServiceUnavailable, "Service stopping", detail);

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
