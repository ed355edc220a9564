using System.Text.Json.Nodes;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Hosting;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints.Operations;

/// <summary>
/// POST /v1/interpolate: frames from A to B. Every frame keeps A's groups below g finished (a prefix start at e_g from
/// A's image, or from an uploaded A's own coefficients) and takes for the groups from g on the spherical interpolation
/// of A's and B's latents at k / (frames - 1) (LatentEdits.Slerp). Frame 0 therefore starts from A's own state at e_g
/// and is A's image bit for bit; an uploaded source's latent comes from ODE inversion that stops at e_g.
/// </summary>
public sealed class Interpolate : Operation<InterpolateRequest, Interpolate.Plan, ImagesResponse>
{
    public override string Name => "interpolate";

    public override string Tag => "Editing";

    public override string Summary => "Frames between two images, interpolating their latents from a group on";

    public override string Description =>
        "`sources` are A and B (recipes or uploads). Each of `frames` images keeps A's groups below `fromGroup` exactly and takes, for the " +
        "groups from `fromGroup` on, the spherical interpolation of A's and B's latents, from A (frame 0, A's image bit for bit) to B's " +
        "latent (the last frame). Every frame comes with its recipe; the answer is several images, so `Accept: image/png` is a 406.";

    public override async Task<Plan?> PlanAsync(InterpolateRequest request, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (errors, limits) = (context.Errors, context.Limits);
        var sources = SourceInput.CheckList(request.Sources, 2, 2, errors);
        if (sources is null)
            return null;
        var model = RequestRules.Model(request.Model, sources.Select((s, i) => (s.Recipe, $"sources[{i}].recipe")), context);
        if (model is null)
            return null;
        var groups = model.Process.Grouping.Count;
        var fromGroup = request.FromGroup ?? 0;
        if (fromGroup < 0 || fromGroup >= groups)
            errors.Add("fromGroup", $"must be between 0 and {groups - 1}, got {fromGroup}");
        else if (fromGroup > 0 && model.Process.Schedule.Overlap > 0)
            errors.Add("fromGroup", $"model {model.Name} has overlapping intervals: A's groups are not finished at a boundary, so give fromGroup 0");
        var frames = request.Frames ?? 0;
        if (frames < 2 || frames > limits.MaxImagesPerRequest)
            errors.Add("frames", $"must be between 2 and {limits.MaxImagesPerRequest}, got {frames}");
        var recipes = SourceInput.Recipes(sources, model, context);
        var steps = RequestRules.Steps(request.StepsPerGroup, recipes[0], model, limits, errors);
        if (recipes[0] is { FirstGroup: > 0 } started && fromGroup < started.FirstGroup)
            errors.Add("fromGroup", $"A starts at group {started.FirstGroup} from its source's finished groups, so its groups below that are not its latent's: give fromGroup at least {started.FirstGroup}");
        RequestRules.PrefixDepth(recipes[0], fromGroup > 0, "sources[0].recipe.prefix", limits, errors);
        if (errors.Any || steps is null)
            return null;

        var inputs = new SourceInput[2];
        for (var i = 0; i < 2; i++)
        {
            var image = sources[i].Image is null ? null : await context.Images.ReadAsync(sources[i].Image, $"sources[{i}].image", model, context.CancellationToken);
            inputs[i] = new SourceInput(recipes[i], image, image is null ? null : fromGroup);
        }

        // A's own steps and sampler keep frame 0 A's image; an uploaded A is inverted, so heun.
        var sampler = RequestRules.Sampler(request.Sampler, recipes[0], inverts: recipes[0] is null, model);
        return new Plan(new ImageOutput(model, context.Format(request.Format)), inputs, fromGroup, frames, steps, sampler, context.Images.Reports);
    }

    public override async Task<ImagesResponse> RunAsync(Plan plan, OperationRun run)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(run);
        var model = plan.Output.Model;
        run.Tracker?.Announce(
            plan.Sources.Where(s => s.NeedsInversion).Sum(s => EvaluationCount.Inversion(model, plan.StepsPerGroup, plan.Sampler, s.LatentFrom!.Value))
            + plan.Frames * EvaluationCount.Generation(model, plan.StepsPerGroup, plan.Sampler, plan.FromGroup)
            + (plan.FromGroup > 0 && plan.Sources[0].Recipe is { } a ? run.Generator.PlannedEvaluations(model, [a]) : 0));
        var version = SourceInput.VersionOf(plan.Sources, model);
        var latents = await SourceInput.LatentsAsync(plan.Sources, model, plan.StepsPerGroup, plan.Sampler, version, run);
        var prefix = plan.FromGroup == 0 ? null : plan.Sources[0].Prefix(plan.FromGroup);
        var recipes = Enumerable.Range(0, plan.Frames)
            .Select(k => new ImageRecipe(
                model.Name,
                new RecipeLatent.Explicit(LatentEdits.Slerp(latents[0], latents[1], model.Process.Grouping, plan.FromGroup, (double)k / (plan.Frames - 1))),
                plan.StepsPerGroup,
                plan.Sampler,
                prefix,
                version))
            .ToArray();
        return plan.Output.Response(await run.Generator.GenerateAsync(model, recipes, run.Tracker, run.CancellationToken), null, plan.Uploads);
    }

    public override bool MakesOneImage(Plan plan) => false;

    public override byte[] Png(ImagesResponse result) => Convert.FromBase64String(result?.Images[0].Png ?? "");

    public override JsonObject Example(RequestExamples examples) => new()
    {
        ["sources"] = new JsonArray(new JsonObject { ["recipe"] = examples?.Recipe(1234) }, new JsonObject { ["recipe"] = examples?.Recipe(77) }),
        ["fromGroup"] = 1,
        ["frames"] = 5,
        ["format"] = "png",
    };

    public override JsonObject? UploadExample(RequestExamples examples) => new()
    {
        ["sources"] = new JsonArray(new JsonObject { ["image"] = examples?.Image(upload: true) }, new JsonObject { ["recipe"] = examples?.Recipe(77) }),
        ["fromGroup"] = 1,
        ["frames"] = 5,
        ["format"] = "png",
    };

    /// <summary>A and B, the first interpolated group, the number of frames and the ODE settings.</summary>
    public sealed record Plan(
        ImageOutput Output,
        IReadOnlyList<SourceInput> Sources,
        int FromGroup,
        int Frames,
        IReadOnlyList<int> StepsPerGroup,
        SamplerKind Sampler,
        IReadOnlyList<UploadReport>? Uploads);
}
