using Gdm.Api.Inference;

namespace Gdm.Api.Endpoints;

public static class ModelLookup
{
    /// <summary>The named model, or the default one for no name; an unknown name is an error on the field.</summary>
    public static LoadedModel? Resolve(string? name, string field, ModelCatalog catalog, RequestErrors errors)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(errors);
        if (catalog.TryGet(name, out var model))
            return model;
        errors.Add(field, $"no model named '{name}' is loaded; loaded: {string.Join(", ", catalog.Models.Select(m => m.Name))}");
        return null;
    }
}
