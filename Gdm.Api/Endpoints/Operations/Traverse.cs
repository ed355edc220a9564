using System.Text.Json;
using System.Text.Json.Nodes;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Hosting;
using Gdm.Api.Images;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints.Operations;

/// <summary>
/// POST /v1/traverse: the source's latent with one coordinate of group g set to each value in turn (docs/formulation.md,
/// "Editing"). Groups below g do not depend on group g's noise, so for g at least 1 each image starts at e_g from the
/// source's finished groups below g (a recipe's image, or an upload's own coefficients); an upload's latent of the groups
/// from g on comes from ODE inversion that stops at e_g.
/// </summary>
public sealed class Traverse : Operation<TraverseRequest, Traverse.Plan, TraverseResponse>
{
    public const string GridKeyword = "gdm-traversal";

    public override string Name => "traverse";

    public override string Tag => "Editing";

    public override string Summary => "Move one latent coordinate of a group over a list of values";

    public override string Description =>
        "Sets coordinate `coordinate` of group `group` of the source's latent to each of `values` and makes one image per value; groups " +
        "below `group` do not depend on it and are kept as the source's finished coefficients. Returns the strip as one PNG (`grid`; also " +
        "the whole answer for `Accept: image/png`) and every image with its recipe. An uploaded source's latent comes from ODE inversion, " +
        "which stops at the start of `group`.";

    public override async Task<Plan?> PlanAsync(TraverseRequest request, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (errors, limits) = (context.Errors, context.Limits);
        if (!RequestRules.Source(request.Source, "source", errors))
            return null;
        var source = request.Source!;
        var model = RequestRules.Model(request.Model, [(source.Recipe, "source.recipe")], context);
        if (model is null)
            return null;
        var grouping = model.Process.Grouping;
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
        var recipe = source.Recipe is null ? null : RecipeMapping.ToRecipe("source.recipe", source.Recipe, model, limits, errors);
        if (errors.Any)
            return null;

        var prefixGroups = group > 0 && model.Process.Schedule.Overlap == 0 ? group : 0;
        RequestRules.PrefixDepth(recipe, prefixGroups > 0, "source.recipe.prefix", limits, errors);
        var steps = RequestRules.Steps(request.StepsPerGroup, recipe, model, limits, errors);
        if (errors.Any || steps is null)
            return null;

        var image = source.Image is null ? null : await context.Images.ReadAsync(source.Image, "source.image", model, context.CancellationToken);
        var input = new SourceInput(recipe, image, image is null ? null : prefixGroups);
        var sampler = RequestRules.Sampler(request.Sampler, recipe, inverts: input.NeedsInversion, model);
        return new Plan(new ImageOutput(model, context.Format(request.Format)), input, group, coordinate, values!.ToArray(), prefixGroups, steps, sampler, context.Images.Reports);
    }

    public override async Task<TraverseResponse> RunAsync(Plan plan, OperationRun run)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(run);
        var model = plan.Output.Model;
        var grouping = model.Process.Grouping;
        run.Tracker?.Announce(
            (plan.Source.NeedsInversion ? EvaluationCount.Inversion(model, plan.StepsPerGroup, plan.Sampler, plan.PrefixGroups) : 0)
            + plan.Values.Count * EvaluationCount.Generation(model, plan.StepsPerGroup, plan.Sampler, plan.PrefixGroups)
            + (plan.PrefixGroups > 0 && plan.Source.Recipe is { } recipe ? run.Generator.PlannedEvaluations(model, [recipe]) : 0));
        var version = SourceInput.VersionOf([plan.Source], model);
        var latent = (await SourceInput.LatentsAsync([plan.Source], model, plan.StepsPerGroup, plan.Sampler, version, run))[0];
        var prefix = plan.PrefixGroups == 0 ? null : plan.Source.Prefix(plan.PrefixGroups);
        var recipes = plan.Values
            .Select(v => new ImageRecipe(model.Name, new RecipeLatent.Explicit(LatentEdits.WithCoordinate(latent, grouping, plan.Group, plan.Coordinate, v)), plan.StepsPerGroup, plan.Sampler, prefix, version))
            .ToArray();
        var images = await run.Generator.GenerateAsync(model, recipes, run.Tracker, run.CancellationToken);

        var strip = ImageStrip.Compose(images.Select(i => plan.Output.Levels(i.Coefficients)).ToArray(), model.Shape);
        var description = JsonSerializer.Serialize(new { model = model.Name, group = plan.Group, coordinate = plan.Coordinate, values = plan.Values }, RecipeJson.Options);
        var grid = PngWriter.Encode(strip.Levels, strip.Shape, GridKeyword, description);
        return new TraverseResponse(model.Name, plan.Group, plan.Coordinate, plan.Values, Convert.ToBase64String(grid),
            images.Select((image, i) => plan.Output.Result(i, image)).ToArray(), plan.Uploads);
    }

    /// <summary>The strip is one image, whatever the number of values.</summary>
    public override bool MakesOneImage(Plan plan) => true;

    public override byte[] Png(TraverseResponse result) => Convert.FromBase64String(result?.Grid ?? "");

    public override JsonObject Example(RequestExamples examples) => examples?.Traverse(upload: false) ?? [];

    public override JsonObject? UploadExample(RequestExamples examples) => examples?.Traverse(upload: true);

    /// <summary>The source, the coordinate and its values, the kept leading groups and the ODE settings.</summary>
    public sealed record Plan(
        ImageOutput Output,
        SourceInput Source,
        int Group,
        int Coordinate,
        IReadOnlyList<float> Values,
        int PrefixGroups,
        IReadOnlyList<int> StepsPerGroup,
        SamplerKind Sampler,
        IReadOnlyList<UploadReport>? Uploads);
}
