using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints.Contracts;

/// <summary>
/// An image's latent eps as `recipe`: its explicit latent (`recipe.latent`, base64 little-endian float32, C*H*W values
/// in transform space) with the steps and sampler it was found with, which /v1/samples decodes and /v1/variations,
/// /v1/mix and /v1/traverse take as a source. `reconstruction` is that decode, and `reconstructionPsnrDb` its PSNR against the
/// converted upload (peak = the width of the model's value range, reconstruction clamped to the range as in its PNG;
/// at most 100).
/// </summary>
public sealed record EncodeResponse(
    string Model,
    RecipeDocument Recipe,
    double ReconstructionPsnrDb,
    ImageData Reconstruction,
    UploadReport Upload);
