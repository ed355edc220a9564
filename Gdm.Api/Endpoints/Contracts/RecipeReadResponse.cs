using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints.Contracts;

/// <summary>The recipe a PNG carries, in the canonical form that /v1/samples accepts as it stands (and any operation as a source's `recipe`).</summary>
public sealed record RecipeReadResponse(RecipeDocument Recipe);
