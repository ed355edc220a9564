using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints;

/// <summary>
/// What checking one request into a plan works with: the request's images, the loaded models, the limits, the field
/// errors it collects, whether the client asked for image/png, and the request's token (reading an upload may wait on
/// the client).
/// </summary>
public sealed record PlanningContext(
    RequestImages Images,
    ModelCatalog Catalog,
    RequestLimitOptions Limits,
    RequestErrors Errors,
    bool WantsPng,
    CancellationToken CancellationToken)
{
    /// <summary>The current version of the named model, or of the default one for no name; an unknown name is an error on the field.</summary>
    public LoadedModel? ResolveModel(string? name, string field = "model") => ResolveModel(name, null, ModelVersionChoice.Current, field);

    /// <summary>
    /// The model version a request or recipe names: by digest, else the current or first version of the name (the
    /// default model's for none). An unknown name or version is an error naming it and what is loaded.
    /// </summary>
    public LoadedModel? ResolveModel(string? name, string? digest, ModelVersionChoice choice, string field = "model")
    {
        if (Catalog.TryGet(name, digest, choice, out var model))
            return model;
        var named = string.IsNullOrEmpty(name) ? Catalog.Default?.Name : name;
        var versions = named is null ? [] : Catalog.Versions(named);
        if (digest is not null && versions.Count > 0)
            Errors.Add(FieldError.Join(ParentOf(field), "version"),
                $"version '{digest}' of model '{named}' is not loaded; loaded: {string.Join(", ", versions.Select(m => $"{m.Digest} (version {m.Version})"))}");
        else
            Errors.Add(field, $"no model named '{name}' is loaded; loaded: {string.Join(", ", Catalog.Models.Select(m => m.Name).Distinct())}");
        return null;
    }

    /// <summary>The model version a recipe document was made with (one made before recipes named versions: the first).</summary>
    public LoadedModel? ResolveModel(RecipeDocument recipe, string field) =>
        ResolveModel(recipe?.Model, recipe?.Version, recipe is { NamesVersion: false } ? ModelVersionChoice.First : ModelVersionChoice.Current, field);

    private static string ParentOf(string field) => field.LastIndexOf('.') is var dot and >= 0 ? field[..dot] : "";

    /// <summary>The format the images come back in: png for a client that asked for image/png, else the request's (png when absent).</summary>
    public OutputFormat Format(OutputFormat? asked) => WantsPng ? OutputFormat.Png : asked ?? OutputFormat.Png;
}
