using System.Text.Json;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Images;
using Gdm.Api.Inference;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints;

/// <summary>
/// A checked traversal: the source's latent with one coordinate of group g set to each value in turn (gdm-math.md,
/// "Editing"). Groups below g do not depend on group g's noise, so for g at least 1 each image starts at e_g from the
/// source's finished groups below g (a recipe's image, or an upload's own coefficients); an upload's latent of the
/// groups from g on comes from ODE inversion that stops at e_g (the groups below it come back as zeros, never read).
/// </summary>
public sealed class TraversePlan
{
    public const string GridKeyword = "gdm-traversal";

    private readonly LoadedModel _model;
    private readonly ImageRecipe? _recipe;
    private readonly UploadedImage? _image;
    private readonly int _group;
    private readonly int _coordinate;
    private readonly IReadOnlyList<float> _values;
    private readonly IReadOnlyList<int> _stepsPerGroup;
    private readonly SamplerKind _sampler;
    private readonly OutputFormat _format;
    private readonly IReadOnlyList<UploadReport>? _uploads;

    private TraversePlan(
        LoadedModel model,
        ImageRecipe? recipe,
        UploadedImage? image,
        (int Group, int Coordinate, IReadOnlyList<float> Values) move,
        IReadOnlyList<int> stepsPerGroup,
        SamplerKind sampler,
        OutputFormat format,
        IReadOnlyList<UploadReport>? uploads)
    {
        _model = model;
        _recipe = recipe;
        _image = image;
        (_group, _coordinate, _values) = move;
        _stepsPerGroup = stepsPerGroup;
        _sampler = sampler;
        _format = format;
        _uploads = uploads;
    }

    /// <summary>The plan, or null with errors added; a bad image throws UploadRejectedException.</summary>
    public static async Task<TraversePlan?> CreateAsync(TraverseRequest request, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var model = context.ResolveModel(request.Model ?? request.Source?.Recipe?.Model);
        if (model is null)
            return null;
        var (images, _, limits, errors, cancellationToken) = context;
        var grouping = model.Process.Grouping;
        var source = request.Source;
        if (source is null || (source.Recipe is null) == (source.Image is null))
            errors.Add("source", "give the source as exactly one of recipe or image");
        var group = request.Group ?? 0;
        var coordinate = request.Coordinate ?? 0;
        if (group < 0 || group >= grouping.Count)
            errors.Add("group", $"must be between 0 and {grouping.Count - 1}, got {group}");
        else if (coordinate < 0 || coordinate >= grouping.Groups[group].Size)
            errors.Add("coordinate", $"group {group} has coordinates 0..{grouping.Groups[group].Size - 1}, got {coordinate}");
        var values = request.Values;
        if (values is null || values.Count < 1 || values.Count > limits.MaxImagesPerRequest)
            errors.Add("values", $"give between 1 and {limits.MaxImagesPerRequest} values, got {values?.Count ?? 0}");
        else if (values.ToList().FindIndex(v => !float.IsFinite(v)) is var bad and >= 0)
            errors.Add($"values[{bad}]", "is not a finite number");
        if (errors.Any)
            return null;

        var recipe = source!.Recipe is null ? null : RecipeMapping.ToRecipe("source.recipe", source.Recipe, model, limits, errors);
        var usesPrefix = group > 0 && model.Process.Schedule.Overlap == 0;
        if (usesPrefix && recipe is not null && recipe.Depth + 1 > limits.MaxPrefixDepth)
            errors.Add("source.recipe.prefix", $"the source already nests {recipe.Depth} prefix starts; the limit is {limits.MaxPrefixDepth}");
        var steps = request.StepsPerGroup is null && recipe is not null
            ? recipe.StepsPerGroup
            : RecipeMapping.ToSteps("stepsPerGroup", request.StepsPerGroup, model, limits, errors);
        if (errors.Any || steps is null)
            return null;

        var image = source.Image is null ? null : await images.ReadAsync(source.Image, "source.image", model, cancellationToken);
        var sampler = request.Sampler ?? recipe?.Sampler ?? SamplerKind.Heun;
        return new TraversePlan(model, recipe, image, (group, coordinate, values!.ToArray()), steps, sampler, request.Format ?? OutputFormat.Png, images.Reports);
    }

    public async Task<TraverseResponse> RunAsync(ImageGenerator generator, ProgressTracker? tracker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var grouping = _model.Process.Grouping;
        var prefixGroups = _group == 0 || _model.Process.Schedule.Overlap > 0 ? 0 : _group;
        tracker?.Announce(
            (_recipe is null ? EvaluationCount.Inversion(_model, _stepsPerGroup, _sampler, prefixGroups) : 0)
            + _values.Count * EvaluationCount.Generation(_model, _stepsPerGroup, _sampler, prefixGroups)
            + (prefixGroups > 0 && _recipe is not null ? generator.PlannedEvaluations(_model, [_recipe]) : 0));
        var latent = _recipe?.RealiseLatent(grouping)
                     ?? (await generator.InvertFromAsync(_model, [_image!.Coefficients], [prefixGroups], _stepsPerGroup, _sampler, tracker, cancellationToken))[0];
        var prefix = prefixGroups == 0 ? null
            : _recipe is not null ? new PrefixStart.OfRecipe(_group, _recipe)
            : (PrefixStart)new PrefixStart.OfCoefficients(_group, _image!.Coefficients);
        var recipes = _values
            .Select(v => new ImageRecipe(_model.Name, new RecipeLatent.Explicit(LatentEdits.WithCoordinate(latent, grouping, _group, _coordinate, v)), _stepsPerGroup, _sampler, prefix))
            .ToArray();
        var images = await generator.GenerateAsync(_model, recipes, tracker, cancellationToken);

        var plan = new ImagePlan(_model, recipes, null, _format, _uploads);
        var range = _model.Manifest.ValueRange;
        var strip = ImageStrip.Compose(images.Select(i => PixelQuantizer.ToBytes(plan.ToPixels(i.Coefficients), range[0], range[1])).ToArray(), _model.Shape);
        var description = JsonSerializer.Serialize(new { model = _model.Name, group = _group, coordinate = _coordinate, values = _values }, RecipeMapping.Json);
        var grid = PngWriter.Encode(strip.Levels, strip.Shape, GridKeyword, description);
        return new TraverseResponse(_model.Name, _group, _coordinate, _values, Convert.ToBase64String(grid), plan.ToResponse(images).Images, _uploads);
    }
}
