namespace Gdm.Api.Endpoints.Contracts;

/// <summary>A PNG that carries a recipe (every PNG this service makes does, in its `gdm-recipe` text chunk).</summary>
public sealed record RecipeReadRequest
{
    public ImageUpload? Image { get; init; }
}
