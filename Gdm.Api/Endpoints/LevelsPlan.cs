using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Images;
using Gdm.Api.Inference;
using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints;

/// <summary>
/// A checked levels request: the image's finished coefficients come from its recipe (the recent outputs, else one
/// generation) or from an upload converted to the model's input; each group's part is then drawn (LevelPictures).
/// </summary>
public sealed class LevelsPlan
{
    public const string PictureKeyword = "gdm-level";

    private readonly LoadedModel _model;
    private readonly ImageRecipe? _recipe;
    private readonly UploadedImage? _image;

    private LevelsPlan(LoadedModel model, ImageRecipe? recipe, UploadedImage? image)
    {
        _model = model;
        _recipe = recipe;
        _image = image;
    }

    /// <summary>The plan, or null with errors added; a bad image throws UploadRejectedException.</summary>
    public static async Task<LevelsPlan?> CreateAsync(LevelsRequest request, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var model = context.ResolveModel(request.Model ?? request.Source?.Recipe?.Model);
        if (model is null)
            return null;
        var source = request.Source;
        if (source is null || (source.Recipe is null) == (source.Image is null))
        {
            context.Errors.Add("source", "give the source as exactly one of recipe or image");
            return null;
        }

        if (source.Recipe is not null)
        {
            var recipe = RecipeMapping.ToRecipe("source.recipe", source.Recipe, model, context.Limits, context.Errors);
            return recipe is null ? null : new LevelsPlan(model, recipe, null);
        }

        var image = await context.Images.ReadAsync(source.Image, "source.image", model, context.CancellationToken);
        return new LevelsPlan(model, null, image);
    }

    public async Task<LevelsResponse> RunAsync(ImageGenerator generator, ProgressTracker? tracker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var coefficients = _image?.Coefficients ?? await generator.FinishedAsync(_model, _recipe!, tracker, cancellationToken);
        var grouping = _model.Process.Grouping;
        var levels = LevelPictures.Of(_model.Process, coefficients)
            .Select(p => new LevelView(
                p.Group,
                grouping.Groups[p.Group].Name,
                Convert.ToBase64String(PngWriter.Encode(p.Levels(), _model.Shape, PictureKeyword, $"group {p.Group}, peak {p.Peak:R}")),
                p.Peak))
            .ToArray();
        return new LevelsResponse(_model.Name, levels);
    }
}
