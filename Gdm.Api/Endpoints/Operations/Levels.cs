using System.Text.Json.Nodes;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Hosting;
using Gdm.Api.Images;
using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints.Operations;

/// <summary>
/// POST /v1/levels: what each level of an image alone contributes. The image's finished coefficients come from its
/// recipe (the recent outputs, else one generation) or from an upload converted to the model's input; each group's
/// part is then drawn (LevelPictures), and the parts of all groups add up to the image.
/// </summary>
public sealed class Levels : Operation<LevelsRequest, Levels.Plan, LevelsResponse>
{
    public const string PictureKeyword = "gdm-level";

    public override string Name => "levels";

    public override string Tag => "Editing";

    public override string Summary => "Draw what each level of an image alone contributes";

    public override string Description =>
        "For each group, the inverse transform of the image's coefficients of that group only, as a PNG with 0 at mid grey and " +
        "white/black at +-`peak`; the parts of all groups add up to the image. The source is a recipe (taken from the recent outputs " +
        "when the service just made it, else generated) or an uploaded image.";

    public override async Task<Plan?> PlanAsync(LevelsRequest request, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (!RequestRules.Source(request.Source, "source", context.Errors))
            return null;
        var source = request.Source!;
        var model = RequestRules.Model(request.Model, [(source.Recipe, "source.recipe")], context);
        if (model is null)
            return null;
        if (source.Recipe is not null)
        {
            var recipe = RecipeMapping.ToRecipe("source.recipe", source.Recipe, model, context.Limits, context.Errors);
            return recipe is null ? null : new Plan(new ImageOutput(model, OutputFormat.Png), recipe, null);
        }

        var image = await context.Images.ReadAsync(source.Image, "source.image", model, context.CancellationToken);
        return new Plan(new ImageOutput(model, OutputFormat.Png), null, image);
    }

    public override async Task<LevelsResponse> RunAsync(Plan plan, OperationRun run)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(run);
        var model = plan.Output.Model;
        var coefficients = plan.Image?.Coefficients ?? await run.Generator.FinishedAsync(model, plan.Recipe!, run.Tracker, run.CancellationToken);
        var grouping = model.Process.Grouping;
        var levels = LevelPictures.Of(model.Process, coefficients)
            .Select(p => new LevelView(
                p.Group,
                grouping.Groups[p.Group].Name,
                Convert.ToBase64String(PngWriter.Encode(p.Levels(), model.Shape, PictureKeyword, $"group {p.Group}, peak {p.Peak:R}")),
                p.Peak))
            .ToArray();
        return new LevelsResponse(model.Name, levels);
    }

    public override bool MakesOneImage(Plan plan) => false;

    public override byte[] Png(LevelsResponse result) => Convert.FromBase64String(result?.Levels[0].Png ?? "");

    public override JsonObject Example(RequestExamples examples) => new() { ["source"] = new JsonObject { ["recipe"] = examples?.Recipe() } };

    public override JsonObject? UploadExample(RequestExamples examples) => new() { ["source"] = new JsonObject { ["image"] = examples?.Image(upload: true) } };

    /// <summary>The image: its recipe, or an upload as the model's input.</summary>
    public sealed record Plan(ImageOutput Output, ImageRecipe? Recipe, UploadedImage? Image);
}
