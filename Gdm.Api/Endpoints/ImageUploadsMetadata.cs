namespace Gdm.Api.Endpoints;

/// <summary>
/// Marks an endpoint that takes images, with the type of its JSON request: such endpoints get the upload body limit
/// (Uploads:MaxRequestBodyBytes), and Swagger documents their multipart/form-data form beside the JSON body.
/// </summary>
public sealed record ImageUploadsMetadata(Type RequestType);

public static class ImageUploadsEndpointExtensions
{
    /// <summary>Marks a JSON endpoint as taking images of request type T and documents its upload answers.</summary>
    public static RouteHandlerBuilder AcceptsImageUploads<TRequest>(this RouteHandlerBuilder endpoint) =>
        endpoint
            .WithMetadata(new ImageUploadsMetadata(typeof(TRequest)))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
}
