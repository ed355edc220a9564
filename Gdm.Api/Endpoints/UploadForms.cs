using System.Text.Json;
using Gdm.Api.Images;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gdm.Api.Endpoints;

/// <summary>
/// The multipart/form-data twin of a JSON endpoint that takes images: the same path, chosen by Content-Type (routing's
/// accepts policy), with the JSON request in the part `request` and the images as file parts `images`, which the
/// request's ImageUpload fields name by index ({ "file": 0 } is the first file). Excluded from the API description;
/// Swagger shows the form on the JSON operation instead (UploadFormDocumentation).
/// </summary>
public static class UploadForms
{
    public const string RequestPart = "request";

    public static RouteHandlerBuilder MapUploadForm<TRequest, TResult>(
        this IEndpointRouteBuilder routes,
        string pattern,
        string name,
        Func<TRequest, RequestImages, HttpContext, ImageServices, Task<TResult>> handle)
        where TRequest : class
        where TResult : IResult
    {
        // No cookies or sign-in reach this API, so there is no ambient credential for a forged cross-site form to use.
        return routes.MapPost(pattern, async (IFormCollection form, HttpContext http, [AsParameters] ImageServices services) =>
            {
                var files = form.Files.Where(f => f.Name != RequestPart).ToArray();
                var limit = services.Uploads.Options.MaxFilesPerRequest;
                if (files.Length > limit)
                    return (IResult)Problems.Upload(new UploadRejectedException(RequestImages.FilesPart, $"{files.Length} files; at most {limit} are accepted (Uploads:MaxFilesPerRequest)", StatusCodes.Status413PayloadTooLarge));
                var (request, problem) = await ReadRequestAsync<TRequest>(form, http.RequestAborted);
                if (problem is not null)
                    return problem;
                return (IResult)await handle(request!, services.Uploads.For(files), http, services);
            })
            .WithName(name)
            // Behind the JSON endpoint: a request without a Content-Type passes the accepts policy for both, and goes to JSON.
            .WithOrder(1)
            .WithMetadata(new ImageUploadsMetadata(typeof(TRequest)))
            .DisableAntiforgery()
            .ExcludeFromDescription();
    }

    // The part `request` as a field, or as a file part (some clients send JSON parts as blobs with a file name).
    private static async Task<(TRequest? Request, ProblemHttpResult? Problem)> ReadRequestAsync<TRequest>(IFormCollection form, CancellationToken cancellationToken)
        where TRequest : class
    {
        var errors = new RequestErrors();
        string? text = form.TryGetValue(RequestPart, out var field) ? field.ToString() : null;
        if (text is null && form.Files.GetFile(RequestPart) is { } part)
        {
            using var reader = new StreamReader(part.OpenReadStream());
            text = await reader.ReadToEndAsync(cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(RequestPart, $"a multipart request carries its JSON request in a part named '{RequestPart}' and its images as files");
            return (null, Problems.InvalidAsProblem(errors));
        }

        try
        {
            if (JsonSerializer.Deserialize<TRequest>(text, RecipeMapping.Json) is { } request)
                return (request, null);
            errors.Add(RequestPart, "is null: give the JSON request");
        }
        catch (JsonException e)
        {
            errors.Add(e.Path is null or "$" ? RequestPart : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path, e.Message);
        }

        return (null, Problems.InvalidAsProblem(errors));
    }
}
