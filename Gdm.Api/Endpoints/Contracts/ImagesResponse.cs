using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints.Contracts;

/// <summary>Finished images, each with the recipe that makes it again, and what was done to any uploaded image.</summary>
public sealed record ImagesResponse(string Model, ulong? Seed, IReadOnlyList<ImageResult> Images, IReadOnlyList<UploadReport>? Uploads = null);

/// <summary>
/// One image in the asked format (exactly one of png, coefficients, pixels is set) and its recipe, which
/// POST /v1/samples accepts as is.
/// </summary>
public sealed record ImageResult(int Index, RecipeDocument Recipe, string? Png, string? Coefficients, string? Pixels);

/// <summary>One image in the asked format: exactly one of png, coefficients, pixels is set.</summary>
public sealed record ImageData(string? Png, string? Coefficients, string? Pixels);
