using System.Text.Json.Nodes;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Hosting;
using Gdm.Api.Inference;
using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints.Operations;

/// <summary>
/// POST /v1/samples: new images from a seed (image i uses seed + i for every group), or the one image of a recipe
/// posted as it stands (its members are this request's).
/// </summary>
public sealed class Samples : Operation<SamplesRequest, Samples.Plan, ImagesResponse>
{
    public override string Name => "samples";

    public override string Summary => "Make new images";

    public override string Description =>
        "Samples `count` images (seed drawn when absent; image i uses seed + i). Every image comes with its recipe, which this endpoint " +
        "accepts as is to make the same image bit for bit. Send `Accept: image/png` with count 1 to get the PNG itself (the recipe is in " +
        "its tEXt chunk `gdm-recipe`).";

    public override bool TakesImages => false;

    public override Task<Plan?> PlanAsync(SamplesRequest request, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(Check(request, context));
    }

    public override Task<ImagesResponse> RunAsync(Plan plan, OperationRun run) => RunPlanAsync(plan, run);

    /// <summary>Makes a plan's recipes (samples and variations both plan a list of recipes).</summary>
    internal static async Task<ImagesResponse> RunPlanAsync(Plan plan, OperationRun run)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(run);
        run.Tracker?.Announce(run.Generator.PlannedEvaluations(plan.Output.Model, plan.Recipes));
        var images = await run.Generator.GenerateAsync(plan.Output.Model, plan.Recipes, run.Tracker, run.CancellationToken);
        return plan.Output.Response(images, plan.Seed, plan.Uploads);
    }

    public override bool MakesOneImage(Plan plan) => plan?.Recipes.Count == 1;

    public override byte[] Png(ImagesResponse result) => Convert.FromBase64String(result?.Images[0].Png ?? "");

    public override JsonObject Example(RequestExamples examples) => examples?.Samples() ?? [];

    private static Plan? Check(SamplesRequest request, PlanningContext context)
    {
        var fromRecipe = request.Noise is not null || request.Latent is not null;
        var document = new RecipeDocument
        {
            Model = request.Model,
            Version = request.Version,
            Grid = request.Grid,
            Noise = request.Noise,
            Latent = request.Latent,
            StepsPerGroup = request.StepsPerGroup,
            Sampler = request.Sampler,
            Prefix = request.Prefix,
        };
        // A recipe posted as it stands replays on the version it names (the first one for a recipe from before
        // versions); new images are made by the current version unless the request names another.
        var model = fromRecipe ? context.ResolveModel(document, "model") : context.ResolveModel(request.Model, request.Version, ModelVersionChoice.Current);
        if (model is null)
            return null;
        var (errors, limits) = (context.Errors, context.Limits);
        var count = RequestRules.Count(request.Count, limits, errors);
        if (fromRecipe && count != 1)
            errors.Add("count", "a request with a recipe's noise or latent makes exactly one image");
        if (fromRecipe && request.Seed is not null)
            errors.Add("seed", "give either seed or a recipe's noise or latent, not both");
        if (!fromRecipe && request.Prefix is not null)
            errors.Add("prefix", "a prefix start needs the recipe's noise or latent");
        var seed = RequestRules.Seed(request.Seed, count, errors);
        if (errors.Any)
            return null;

        var output = new ImageOutput(model, context.Format(request.Format));
        var rules = RecipeMapping.Rules(model, limits);
        if (fromRecipe)
            return rules.Check(document, "", errors) is { } recipe ? new Plan(output, [recipe], null) : null;

        var steps = rules.CheckSteps(request.StepsPerGroup, "stepsPerGroup", errors);
        var version = rules.CheckGrid(request.Grid, "grid", errors);
        if (steps is null || version is null)
            return null;
        var groups = model.Process.Grouping.Count;
        var sampler = RequestRules.Sampler(request.Sampler, null, inverts: false, model);
        var recipes = Enumerable.Range(0, count)
            .Select(i => new ImageRecipe(model.Name, new RecipeLatent.Seeded(LatentRecipe.FromSeed(seed + (ulong)i, groups)), steps, sampler, Version: version))
            .ToArray();
        return new Plan(output, recipes, seed);
    }

    /// <summary>The recipes to make, the base seed when one was used, how to write the images and what was done to any upload.</summary>
    public sealed record Plan(ImageOutput Output, IReadOnlyList<ImageRecipe> Recipes, ulong? Seed, IReadOnlyList<UploadReport>? Uploads = null);
}
