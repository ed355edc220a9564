using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Inference;
using Gdm.Api.Options;

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
    /// <summary>The named model, or the default one for no name; an unknown name is an error on the field.</summary>
    public LoadedModel? ResolveModel(string? name, string field = "model")
    {
        if (Catalog.TryGet(name, out var model))
            return model;
        Errors.Add(field, $"no model named '{name}' is loaded; loaded: {string.Join(", ", Catalog.Models.Select(m => m.Name))}");
        return null;
    }

    /// <summary>The format the images come back in: png for a client that asked for image/png, else the request's (png when absent).</summary>
    public OutputFormat Format(OutputFormat? asked) => WantsPng ? OutputFormat.Png : asked ?? OutputFormat.Png;
}
