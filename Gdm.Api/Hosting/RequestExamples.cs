using System.Text.Json;
using System.Text.Json.Nodes;
using Gdm.Api.Images;
using Gdm.Api.Inference;
using Gdm.Core;
using Gdm.Core.Latents;

namespace Gdm.Api.Hosting;

/// <summary>
/// Whole-request examples that work as they stand in Swagger UI's "Try it out": built from the default model once it
/// is loaded (its name, one seed per group), since a recipe's noise list has one entry per group of its model. JSON
/// examples carry an uploaded image as base64 (a small PNG of the model's shape); the examples of the multipart form's
/// `request` part name the first uploaded file instead. Each operation picks its own (Operation.Example).
/// </summary>
public sealed class RequestExamples(ModelCatalog catalog)
{
    private int Groups => catalog.Default?.Process.Grouping.Count ?? 1;

    public JsonObject Samples()
    {
        var example = new JsonObject { ["count"] = 4, ["seed"] = 1234, ["sampler"] = "euler", ["format"] = "png" };
        if (catalog.Default is { } model)
            example["model"] = model.Name;
        return example;
    }

    public JsonObject Variations() => new()
    {
        ["source"] = new JsonObject { ["recipe"] = Recipe() },
        ["fromGroup"] = Math.Min(2, Groups - 1),
        ["strength"] = 1.0,
        ["count"] = 4,
        ["seed"] = 77,
        ["format"] = "png",
    };

    public JsonObject UploadVariations() => new()
    {
        ["source"] = new JsonObject { ["image"] = FirstFile() },
        ["fromGroup"] = Math.Min(2, Groups - 1),
        ["count"] = 4,
        ["seed"] = 77,
        ["format"] = "png",
    };

    public JsonObject Encode(bool upload) => new() { ["image"] = Image(upload), ["sampler"] = "heun", ["format"] = "png" };

    // The upload's coarse groups and the recipe's finer ones: the upload is kept as a prefix, so nothing is inverted.
    public JsonObject Mix(bool upload)
    {
        var kept = Math.Max(1, Math.Min(2, Groups - 1));
        return new JsonObject
        {
            ["sources"] = new JsonArray(new JsonObject { ["image"] = Image(upload) }, new JsonObject { ["recipe"] = Recipe() }),
            ["groupSources"] = new JsonArray(Enumerable.Range(0, Groups).Select(g => (JsonNode)(g < kept ? 0 : 1)).ToArray()),
            ["format"] = "png",
        };
    }

    public JsonObject Traverse(bool upload) => new()
    {
        ["source"] = upload ? new JsonObject { ["image"] = FirstFile() } : new JsonObject { ["recipe"] = Recipe() },
        ["group"] = upload ? Math.Min(1, Groups - 1) : 0,
        ["coordinate"] = 0,
        ["values"] = new JsonArray(-2, -1, 0, 1, 2),
        ["format"] = "png",
    };

    /// <summary>A seeded recipe of the default model, with its default steps.</summary>
    public JsonObject Recipe(int seed = 1234)
    {
        var model = catalog.Default;
        var noise = new JsonArray();
        for (var g = 0; g < Groups; g++)
            noise.Add(new JsonObject { ["seed"] = seed });
        var recipe = new JsonObject { ["noise"] = noise, ["sampler"] = "euler" };
        if (model is not null)
        {
            recipe["model"] = model.Name;
            recipe["stepsPerGroup"] = new JsonArray(model.Manifest.DefaultStepsPerGroup.Select(s => (JsonNode)s).ToArray());
        }

        return recipe;
    }

    /// <summary>The first file of a multipart request, or a base64 image for a JSON body.</summary>
    public JsonObject Image(bool upload) => upload ? FirstFile() : Base64Image();

    private static JsonObject FirstFile() => new() { ["file"] = 0 };

    /// <summary>A PNG carrying the example recipe in its text chunk, as the service writes it (the pixels are the upload example's).</summary>
    public JsonObject RecipeRead(bool upload)
    {
        if (upload)
            return new JsonObject { ["image"] = FirstFile() };
        var recipe = JsonSerializer.Serialize(JsonSerializer.Deserialize<RecipeDocument>(Recipe().ToJsonString(), RecipeJson.Options), RecipeJson.Options);
        var (levels, shape) = Disc();
        return new JsonObject { ["image"] = new JsonObject { ["base64"] = Convert.ToBase64String(PngWriter.Encode(levels, shape, recipe)) } };
    }

    private JsonObject Base64Image()
    {
        var (levels, shape) = Disc();
        return new JsonObject { ["base64"] = Convert.ToBase64String(PngWriter.Encode(levels, shape, "Comment", "example upload")) };
    }

    // A soft bright disc on black in the model's shape: something to upload as it stands.
    private (byte[] Levels, ImageShape Shape) Disc()
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

        return (levels, shape);
    }
}
