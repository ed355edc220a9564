using Gdm.Api.Images;

namespace Gdm.Api.Endpoints;

/// <summary>
/// The multipart/form-data twin of a JSON endpoint that takes images: the same path, chosen by Content-Type (routing's
/// accepts policy), with the JSON request in the part `request` and the images as file parts `images`, which the
/// request's ImageUpload fields name by index ({ "file": 0 } is the first file). Excluded from the API description;
/// Swagger shows the form on the JSON operation instead (OperationDocumentation).
/// </summary>
public static class UploadForms
{
    public const string RequestPart = "request";

    /// <param name="routes">Where to map.</param>
    /// <param name="name">The endpoint's name (metrics, logs).</param>
    /// <param name="pattern">The JSON endpoint's path.</param>
    /// <param name="requestType">The JSON request's type, for the upload body limit.</param>
    /// <param name="handle">Gets the text of the part `request` (null when missing) and the image files in the order sent.</param>
    public static RouteHandlerBuilder MapUploadForm(
        this IEndpointRouteBuilder routes,
        string name,
        string pattern,
        Type requestType,
        Func<string?, IReadOnlyList<IFormFile>, HttpContext, ImageServices, Task<IResult>> handle)
    {
        // No cookies or sign-in reach this API, so there is no ambient credential for a forged cross-site form to use.
        return routes.MapPost(pattern, async (IFormCollection form, HttpContext http, [AsParameters] ImageServices services) =>
            {
                if (StrayPart(form) is { } stray)
                    return Problems.Upload(stray);
                var files = form.Files.Where(f => f.Name != RequestPart).ToArray();
                var limit = services.Uploads.Options.MaxFilesPerRequest;
                if (files.Length > limit)
                    return Problems.Upload(new UploadRejectedException(RequestImages.FilesPart, $"{files.Length} files; at most {limit} are accepted (Uploads:MaxFilesPerRequest)", StatusCodes.Status413PayloadTooLarge));
                return await handle(await RequestTextAsync(form, http.RequestAborted), files, http, services);
            })
            .WithName(name)
            // Behind the JSON endpoint: a request without a Content-Type passes the accepts policy for both, and goes to JSON.
            .WithOrder(1)
            .WithMetadata(new ImageUploadsMetadata(requestType))
            .DisableAntiforgery()
            .ExcludeFromDescription();
    }

    // The form's parts are one `request` (a field or a file) and the files `images`: anything else is a mistake to name,
    // not a part to ignore or to take for an image.
    private static UploadRejectedException? StrayPart(IFormCollection form)
    {
        var requests = form.TryGetValue(RequestPart, out var fields) ? fields.Count : 0;
        requests += form.Files.Count(f => f.Name == RequestPart);
        if (requests > 1)
            return new UploadRejectedException(RequestPart, $"give the request as one part, got {requests}");
        var parts = $"the parts are {RequestPart} (the JSON request) and {RequestImages.FilesPart} (the image files)";
        if (form.Keys.FirstOrDefault(key => key != RequestPart) is { } field)
            return new UploadRejectedException(field, $"is not a part here; {parts}");
        if (form.Files.FirstOrDefault(f => f.Name != RequestPart && f.Name != RequestImages.FilesPart) is { } file)
            return new UploadRejectedException(file.Name, $"is not a part here; {parts}");
        return null;
    }

    // The part `request` as a field, or as a file part (some clients send JSON parts as blobs with a file name).
    private static async Task<string?> RequestTextAsync(IFormCollection form, CancellationToken cancellationToken)
    {
        if (form.TryGetValue(RequestPart, out var field))
            return field.ToString();
        if (form.Files.GetFile(RequestPart) is not { } part)
            return null;
        using var reader = new StreamReader(part.OpenReadStream());
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
