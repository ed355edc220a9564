using Gdm.Api.Inference;
using Gdm.Api.Options;

namespace Gdm.Api.Endpoints;

/// <summary>
/// What checking one request into a plan works with: the request's images, the loaded models, the limits, the field
/// errors it collects and the request's token (reading an upload may wait on the client).
/// </summary>
public sealed record PlanningContext(
    RequestImages Images,
    ModelCatalog Catalog,
    RequestLimitOptions Limits,
    RequestErrors Errors,
    CancellationToken CancellationToken)
{
    /// <summary>The named model, or the default one for no name; an unknown name is an error on the field.</summary>
    public LoadedModel? ResolveModel(string? name, string field = "model") => ModelLookup.Resolve(name, field, Catalog, Errors);
}
