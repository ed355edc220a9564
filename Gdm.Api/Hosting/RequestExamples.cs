using System.Text.Json.Nodes;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Images;
using Gdm.Api.Inference;
using Gdm.Core;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Gdm.Api.Hosting;

/// <summary>
/// Whole-request examples that work as they stand in Swagger UI's "Try it out": built from the default model once it
/// is loaded (its name, one seed per group), since a recipe's noise list has one entry per group of its model. JSON
/// examples carry an uploaded image as base64 (a small PNG of the model's shape); the examples of the multipart form's
/// `request` part name the first uploaded file instead.
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
            var t when t == typeof(Gdm.Core.Latents.RecipeDocument) => Recipe(),
            var t when t == typeof(JobRequest) => new JsonObject { ["samples"] = Samples() },
            var t when t == typeof(EncodeRequest) => Encode(Base64Image()),
            var t when t == typeof(MixRequest) => Mix(Base64Image()),
            var t when t == typeof(TraverseRequest) => Traverse(new JsonObject { ["recipe"] = Recipe() }, 0),
            _ => null,
        };
        if (example is not null)
            target.Examples = [example];
    }

    /// <summary>The `request` part of a multipart/form-data request of this type, its image the first uploaded file.</summary>
    public JsonObject? UploadForm(Type requestType) => requestType switch
    {
        var t when t == typeof(EncodeRequest) => Encode(FirstFile()),
        var t when t == typeof(VariationsRequest) => new JsonObject
        {
            ["source"] = new JsonObject { ["image"] = FirstFile() },
            ["fromGroup"] = Math.Min(2, Groups - 1),
            ["count"] = 4,
            ["seed"] = 77,
            ["format"] = "png",
        },
        var t when t == typeof(MixRequest) => Mix(FirstFile()),
        var t when t == typeof(TraverseRequest) => Traverse(new JsonObject { ["image"] = FirstFile() }, Math.Min(1, Groups - 1)),
        var t when t == typeof(JobRequest) => new JsonObject { ["encode"] = Encode(FirstFile()) },
        _ => null,
    };

    private int Groups => catalog.Default?.Process.Grouping.Count ?? 1;

    private static JsonObject FirstFile() => new() { ["file"] = 0 };

    private static JsonObject Encode(JsonObject image) => new() { ["image"] = image, ["sampler"] = "heun", ["format"] = "png" };

    // The upload's coarse groups and the recipe's finer ones: the upload is kept as a prefix, so nothing is inverted.
    private JsonObject Mix(JsonObject image)
    {
        var kept = Math.Max(1, Math.Min(2, Groups - 1));
        return new JsonObject
        {
            ["sources"] = new JsonArray(new JsonObject { ["image"] = image }, new JsonObject { ["recipe"] = Recipe() }),
            ["groupSources"] = new JsonArray(Enumerable.Range(0, Groups).Select(g => (JsonNode)(g < kept ? 0 : 1)).ToArray()),
            ["format"] = "png",
        };
    }

    private static JsonObject Traverse(JsonObject source, int group) => new()
    {
        ["source"] = source,
        ["group"] = group,
        ["coordinate"] = 0,
        ["values"] = new JsonArray(-2, -1, 0, 1, 2),
        ["format"] = "png",
    };

    // A soft bright disc on black in the model's shape: something to upload as it stands.
    private JsonObject Base64Image()
    {
        var shape = catalog.Default?.Shape ?? new ImageShape(1, 28, 28);
        var levels = new byte[shape.Size];
        for (var c = 0; c < shape.Channels; c++)
            for (var y = 0; y < shape.Height; y++)
                for (var x = 0; x < shape.Width; x++)
                {
                    var dx = (x + 0.5) / shape.Width - 0.5;
                    var dy = (y + 0.5) / shape.Height - 0.5;
                    var r = Math.Sqrt(dx * dx + dy * dy);
                    levels[(c * shape.Height + y) * shape.Width + x] = (byte)Math.Clamp(255 * (0.4 - r) / 0.1, 0, 220);
                }

        return new JsonObject { ["base64"] = Convert.ToBase64String(PngWriter.Encode(levels, shape, "Comment", "example upload")) };
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
            ["source"] = new JsonObject { ["recipe"] = Recipe() },
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
