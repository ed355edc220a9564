namespace Gdm.Api.Endpoints;

/// <summary>The raw text of a request body, for WireJson to read in the client's words (an empty body reads as "").</summary>
public static class RequestBody
{
    public static async Task<string> ReadTextAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var reader = new StreamReader(http.Request.Body);
        return await reader.ReadToEndAsync(http.RequestAborted);
    }
}
