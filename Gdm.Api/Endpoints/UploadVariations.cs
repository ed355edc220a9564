using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints;

/// <summary>
/// Variations of an uploaded image (gdm-math.md, "Prefix start"): without overlap the state at t = e_g is exactly
/// [finished groups below g ; noise of groups from g], and an image's own coefficients of the groups below g ARE those
/// finished groups. So each variation starts at e_g from the upload's coefficients and new noise: the kept groups are
/// the upload's exactly, no inversion runs, and only the redrawn groups' steps do.
/// </summary>
public static class UploadVariations
{
    public static async Task<ImagePlan?> PlanAsync(VariationsRequest request, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var model = context.ResolveModel(request.Model);
        if (model is null)
            return null;
        var (images, _, limits, errors, cancellationToken) = context;
        var groups = model.Process.Grouping.Count;
        if (request.Source!.Recipe is not null)
            errors.Add("source", "give the source as exactly one of recipe or image");
        var count = request.Count ?? 1;
        if (count < 1 || count > limits.MaxImagesPerRequest)
            errors.Add("count", $"must be between 1 and {limits.MaxImagesPerRequest}, got {count}");
        if (request.Groups is not null)
            errors.Add("groups", "an uploaded image has no latent to keep later groups' noise from: give fromGroup (its groups below it are kept, " +
                                 "every later one redrawn), or encode the image first (/v1/encode) and vary its recipe");
        else if (request.FromGroup is not { } from || from < 1 || from >= groups)
            errors.Add("fromGroup", $"an uploaded image keeps its groups below fromGroup: give fromGroup between 1 and {groups - 1}, got {request.FromGroup?.ToString() ?? "none"}");
        ImagePlan.CheckSeed(request.Seed, count, errors);
        if (request.Strength is { } strength && strength != 1)
            errors.Add("strength", "an uploaded image has no noise to blend with (strength 1 only): encode it first (/v1/encode) to vary its latent at a strength");
        if (model.Process.Schedule.Overlap > 0)
            errors.Add("fromGroup", $"model {model.Name} has overlapping intervals: an image's groups are not a finished prefix at a boundary");
        var steps = RecipeMapping.ToSteps("stepsPerGroup", request.StepsPerGroup, model, limits, errors);
        if (errors.Any || steps is null)
            return null;

        var image = await images.ReadAsync(request.Source.Image, "source.image", model, cancellationToken);
        var fromGroup = request.FromGroup!.Value;
        var seed = request.Seed ?? ImagePlan.DrawSeed();
        var sampler = request.Sampler ?? SamplerKind.Euler;
        var prefix = new PrefixStart.OfCoefficients(fromGroup, image.Coefficients);
        var recipes = Enumerable.Range(0, count)
            .Select(i => new ImageRecipe(model.Name, new RecipeLatent.Seeded(LatentRecipe.FromSeed(seed + (ulong)i, groups)), steps, sampler, prefix))
            .ToArray();
        return new ImagePlan(model, recipes, seed, request.Format ?? OutputFormat.Png, images.Reports);
    }
}
