using System.Text.Json.Nodes;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Inference;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Gdm.Api.Hosting;

/// <summary>
/// Whole-request examples that work as they stand in Swagger UI's "Try it out": built from the default model once it
/// is loaded (its name, one seed per group), since a recipe's noise list has one entry per group of its model.
/// </summary>
public sealed class RequestExamples(ModelCatalog catalog) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (schema is not OpenApiSchema target)
            return;
        var example = context.Type switch
        {
            var t when t == typeof(SamplesRequest) => Samples(),
            var t when t == typeof(VariationsRequest) => Variations(),
            var t when t == typeof(Recipe) => Recipe(),
            var t when t == typeof(JobRequest) => new JsonObject { ["samples"] = Samples() },
            _ => null,
        };
        if (example is not null)
            target.Examples = [example];
    }

    private JsonObject Samples()
    {
        var example = new JsonObject { ["count"] = 4, ["seed"] = 1234, ["sampler"] = "euler", ["format"] = "png" };
        if (catalog.Default is { } model)
            example["model"] = model.Name;
        return example;
    }

    private JsonObject Variations()
    {
        var groups = catalog.Default?.Process.Grouping.Count ?? 1;
        return new JsonObject
        {
            ["source"] = Recipe(),
            ["fromGroup"] = Math.Min(2, groups - 1),
            ["strength"] = 1.0,
            ["count"] = 4,
            ["seed"] = 77,
            ["format"] = "png",
        };
    }

    private JsonObject Recipe()
    {
        var model = catalog.Default;
        var noise = new JsonArray();
        for (var g = 0; g < (model?.Process.Grouping.Count ?? 1); g++)
            noise.Add(new JsonObject { ["seed"] = 1234 });
        var recipe = new JsonObject { ["noise"] = noise, ["sampler"] = "euler" };
        if (model is not null)
        {
            recipe["model"] = model.Name;
            recipe["stepsPerGroup"] = new JsonArray(model.Manifest.DefaultStepsPerGroup.Select(s => (JsonNode)s).ToArray());
        }

        return recipe;
    }
}
