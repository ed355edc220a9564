using System.Text.Json.Nodes;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Hosting;
using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints.Operations;

/// <summary>
/// POST /v1/variations: keep the source's groups before the first redrawn one and redraw the named groups' noise. The
/// run starts at that group's boundary from the source's finished prefix (docs/formulation.md, "Prefix start"), so
/// only the redrawn levels' steps run. An uploaded source's own coefficients of the groups below fromGroup are that
/// prefix (without overlap the state at e_g is [finished groups below g ; noise of groups from g]), so it needs no
/// inversion, and every later group is drawn anew.
/// </summary>
public sealed class Variations : Operation<VariationsRequest, Samples.Plan, ImagesResponse>
{
    public override string Name => "variations";

    public override string Summary => "Redraw some levels of an image (a recipe or an upload)";

    public override string Description =>
        "Keeps the source image's groups before the first redrawn one exactly and redraws the named groups' noise (a list, or `fromGroup` " +
        "for that group and every later one) at a strength in [0, 1]. The run starts at the first redrawn group's boundary from the " +
        "source's finished prefix (taken from recent outputs when the service just made it), so only the redrawn levels' steps run. The " +
        "source is `{ \"recipe\": ... }` or `{ \"image\": ... }` as in mix and traverse; an uploaded image (JSON base64, or " +
        "multipart/form-data: the JSON in the part `request`, the file in `images`) keeps its own coefficients of the groups below " +
        "`fromGroup`, exactly and without inversion, and draws every later group anew; each result's recipe carries those coefficients and replays.";

    public override async Task<Samples.Plan?> PlanAsync(VariationsRequest request, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (!RequestRules.Source(request.Source, "source", context.Errors))
            return null;
        var model = RequestRules.Model(request.Model, [(request.Source!.Recipe, "source.recipe")], context);
        if (model is null)
            return null;
        var (errors, limits) = (context.Errors, context.Limits);
        var groups = model.Process.Grouping.Count;
        var count = RequestRules.Count(request.Count, limits, errors);
        var strength = RequestRules.Strength(request.Strength, errors);
        var seed = RequestRules.Seed(request.Seed, count, errors);
        var redrawn = RedrawnGroups(request, groups, errors);
        var source = request.Source.Recipe is { } recipe ? RecipeMapping.ToRecipe("source.recipe", recipe, model, limits, errors) : null;
        var steps = RequestRules.Steps(request.StepsPerGroup, source, model, limits, errors);
        if (errors.Any || redrawn is null || steps is null)
            return null;

        var first = redrawn.Min();
        var keepsGroups = request.Groups is null ? "fromGroup" : "groups";
        if (first > 0 && model.Process.Schedule.Overlap > 0)
            errors.Add(keepsGroups, $"model {model.Name} has overlapping intervals: its kept groups are not finished at a boundary, so there is no prefix start");
        RequestRules.PrefixDepth(source, first > 0, "source.recipe.prefix", limits, errors);
        if (source is null)
        {
            if (request.Groups is not null)
                errors.Add("groups", "an uploaded image has no latent to keep later groups' noise from: give fromGroup (its groups below it are kept, " +
                                     "every later one redrawn), or encode the image first (/v1/encode) and vary its recipe");
            else if (first < 1)
                errors.Add("fromGroup", $"an uploaded image keeps its groups below fromGroup: give fromGroup between 1 and {groups - 1}, got {first}");
            if (strength != 1)
                errors.Add("strength", "an uploaded image has no noise to blend with (strength 1 only): encode it first (/v1/encode) to vary its latent at a strength");
        }

        if (errors.Any)
            return null;

        var sampler = RequestRules.Sampler(request.Sampler, source, inverts: false, model);
        var output = new ImageOutput(model, context.Format(request.Format));
        if (source is null)
        {
            var image = await context.Images.ReadAsync(request.Source.Image, "source.image", model, context.CancellationToken);
            var kept = new PrefixStart.OfCoefficients(first, image.Coefficients);
            var fresh = Enumerable.Range(0, count)
                .Select(i => new ImageRecipe(model.Name, new RecipeLatent.Seeded(LatentRecipe.FromSeed(seed + (ulong)i, groups)), steps, sampler, kept, model.NewRecipes))
                .ToArray();
            return new Samples.Plan(output, fresh, seed, context.Images.Reports);
        }

        var prefix = first == 0 ? null : new PrefixStart.OfRecipe(first, source);
        var recipes = Enumerable.Range(0, count).Select(i =>
        {
            var variationSeed = seed + (ulong)i;
            RecipeLatent latent = source.Latent switch
            {
                RecipeLatent.Seeded seeded => new RecipeLatent.Seeded(seeded.Noise.Redraw(redrawn, variationSeed, strength)),
                RecipeLatent.Explicit values => new RecipeLatent.Explicit(LatentEdits.Redraw(values.Values.ToArray(), model.Process.Grouping, redrawn, variationSeed, strength)),
                _ => throw new InvalidOperationException($"unknown latent {source.Latent}"),
            };
            return new ImageRecipe(model.Name, latent, steps, sampler, prefix, source.Version);
        }).ToArray();
        // A variation adds a redraw to each group it redraws (the same in every image): its recipes must stay readable,
        // so a source already at the limit is refused.
        var full = recipes[0].Latent is RecipeLatent.Seeded varied ? varied.Noise.Groups.ToList().FindIndex(group => group.Redraws.Count > limits.MaxRedrawsPerGroup) : -1;
        if (full >= 0)
        {
            errors.Add($"source.recipe.noise[{full}].redraws",
                $"holds {limits.MaxRedrawsPerGroup} redraws and a variation adds one; at most {limits.MaxRedrawsPerGroup} are kept (Limits:MaxRedrawsPerGroup): vary an image made from fresh seeds instead");
            return null;
        }

        return new Samples.Plan(output, recipes, seed);
    }

    public override Task<ImagesResponse> RunAsync(Samples.Plan plan, OperationRun run) => Samples.RunPlanAsync(plan, run);

    public override bool MakesOneImage(Samples.Plan plan) => plan?.Recipes.Count == 1;

    public override byte[] Png(ImagesResponse result) => Convert.FromBase64String(result?.Images[0].Png ?? "");

    public override JsonObject Example(RequestExamples examples) => examples?.Variations() ?? [];

    public override JsonObject? UploadExample(RequestExamples examples) => examples?.UploadVariations();

    private static int[]? RedrawnGroups(VariationsRequest request, int groups, RequestErrors errors)
    {
        if ((request.Groups is null) == (request.FromGroup is null))
        {
            errors.Add("groups", "give either groups (a list) or fromGroup, exactly one of them");
            return null;
        }

        if (request.FromGroup is { } from)
        {
            if (from >= 0 && from < groups)
                return Enumerable.Range(from, groups - from).ToArray();
            errors.Add("fromGroup", $"must be between 0 and {groups - 1}, got {from}");
            return null;
        }

        var list = request.Groups!;
        if (list.Count == 0)
        {
            errors.Add("groups", "name at least one group to redraw");
            return null;
        }

        for (var i = 0; i < list.Count; i++)
            if (list[i] < 0 || list[i] >= groups)
            {
                errors.Add($"groups[{i}]", $"must be between 0 and {groups - 1}, got {list[i]}");
                return null;
            }

        return list.Distinct().Order().ToArray();
    }
}
