using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints.Contracts;

/// <summary>
/// An image to edit: a recipe (seeds or an explicit latent, as any endpoint returns, /v1/encode included) or an uploaded
/// image. Exactly one of the two.
/// </summary>
public sealed record ImageSource
{
    public RecipeDocument? Recipe { get; init; }

    public ImageUpload? Image { get; init; }
}
