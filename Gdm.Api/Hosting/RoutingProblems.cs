namespace Gdm.Api.Hosting;

/// <summary>
/// A detail, in the client's words, for the statuses that routing answers before any endpoint runs: no such path
/// (404), a method the path does not take (405, with the methods it does take from the Allow header) and a body type
/// no endpoint there reads (415). Every other problem already carries its own detail.
/// </summary>
public static class RoutingProblems
{
    public static void Describe(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.HttpContext.Request;
        var allowed = context.HttpContext.Response.Headers.Allow.ToString();
        context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => $"{request.Method} {request.Path}: there is no such endpoint; /swagger lists them all",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}" + (allowed.Length > 0 ? $"; it takes {allowed}" : ""),
            StatusCodes.Status415UnsupportedMediaType =>
                $"{request.Path} does not read a body of Content-Type '{(string.IsNullOrEmpty(request.ContentType) ? "(none)" : request.ContentType)}': " +
                "send JSON as application/json (the endpoints that take images also read multipart/form-data)",
            _ => null,
        };
    }
}
