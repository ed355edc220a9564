namespace Gdm.Api.Endpoints;

/// <summary>
/// Marks an endpoint that takes images, with the type of its JSON request: such endpoints get the upload body limit
/// (Uploads:MaxRequestBodyBytes), and Swagger documents their multipart/form-data form beside the JSON body.
/// </summary>
public sealed record ImageUploadsMetadata(Type RequestType);

public static class ImageUploadsEndpointExtensions
{
    /// <summary>Marks a JSON endpoint as taking images of the request type and documents its upload answer.</summary>
    public static RouteHandlerBuilder AcceptsImageUploads(this RouteHandlerBuilder endpoint, Type requestType) =>
        endpoint
            .WithMetadata(new ImageUploadsMetadata(requestType))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
}
