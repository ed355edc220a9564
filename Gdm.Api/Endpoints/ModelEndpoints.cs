using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Inference;
using Gdm.Core.Transforms;

namespace Gdm.Api.Endpoints;

/// <summary>GET /v1/models.</summary>
public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/models", ListModels)
            .WithName("ListModels")
            .WithSummary("List the loaded models")
            .WithDescription("Every loaded version of each model (its digest `version`, which recipes name; `current` is the one new work gets), its image shape, transform, grouping and, per group: index (0 = generated first), name, " +
                             "coefficient count, time interval and default steps. Empty until the models are loaded.")
            .WithTags("Models");
        return v1;
    }

    public static Microsoft.AspNetCore.Http.HttpResults.Ok<ModelsResponse> ListModels(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var models = catalog.Models.Select(m => Describe(m, catalog.TryGet(m.Name, out var current) && current == m)).ToArray();
        return TypedResults.Ok(new ModelsResponse(models, catalog.Default?.Name));
    }

    private static ModelDescription Describe(LoadedModel model, bool current)
    {
        var manifest = model.Manifest;
        var process = model.Process;
        var groups = process.Grouping.Groups.Select(g =>
        {
            var interval = process.Schedule.Interval(g.Index);
            return new GroupDescription(g.Index, g.Name, g.Size, new IntervalDescription(interval.Start, interval.End), manifest.DefaultStepsPerGroup[g.Index]);
        }).ToArray();
        return new ModelDescription(
            manifest.Name,
            model.Digest,
            model.Version,
            current,
            manifest.DefaultSamplerKind,
            manifest.DefaultGridSpacing.Name,
            manifest.Description,
            new ShapeDescription(model.Shape.Channels, model.Shape.Height, model.Shape.Width),
            manifest.ValueRange.ToArray(),
            OrthogonalTransform.Name(process.Transform.Kind),
            process.Grouping.Spec,
            process.CausalInput,
            process.Schedule.Overlap,
            groups,
            manifest.Training.DataSet,
            manifest.Training.Steps);
    }
}
