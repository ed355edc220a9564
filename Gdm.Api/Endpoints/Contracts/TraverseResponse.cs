namespace Gdm.Api.Endpoints.Contracts;

/// <summary>
/// The traversal: `grid`, one base64 PNG with the images side by side in the order of `values`, and the same images
/// separately, each with the recipe that makes it again.
/// </summary>
public sealed record TraverseResponse(
    string Model,
    int Group,
    int Coordinate,
    IReadOnlyList<float> Values,
    string Grid,
    IReadOnlyList<ImageResult> Images,
    IReadOnlyList<UploadReport>? Uploads);
