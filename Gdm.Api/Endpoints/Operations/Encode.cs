using System.Text.Json.Nodes;
using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Hosting;
using Gdm.Api.Images;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints.Operations;

/// <summary>
/// POST /v1/encode: an uploaded image to its latent by ODE inversion (docs/formulation.md, "Inversion"), decoded again
/// so the answer says how faithfully the latent names the image.
/// </summary>
public sealed class Encode : Operation<EncodeRequest, Encode.Plan, EncodeResponse>
{
    public override string Name => "encode";

    public override string Tag => "Editing";

    public override string Summary => "Encode an uploaded image into its latent by ODE inversion";

    public override string Description =>
        "Converts the PNG or JPEG to the model's shape (the answer says how), integrates the generation ODE backwards from the image " +
        "(t = 0) to its latent (t = 1), heun unless told otherwise, and decodes the latent again. The returned `recipe` (an explicit latent " +
        "with its steps and sampler) is accepted by /v1/samples, which decodes it, and as the source of /v1/variations, /v1/mix, " +
        "/v1/traverse and /v1/interpolate; `reconstructionPsnrDb` says how faithfully it names the image. `Accept: image/png` answers the " +
        "reconstruction's PNG.";

    public override async Task<Plan?> PlanAsync(EncodeRequest request, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var model = context.ResolveModel(request.Model);
        if (model is null)
            return null;
        var steps = RequestRules.Steps(request.StepsPerGroup, null, model, context.Limits, context.Errors);
        if (request.Image is null)
            context.Errors.Add("image", "give the image to encode: { \"base64\": ... } in JSON, or { \"file\": 0 } with the file in a multipart/form-data request");
        if (context.Errors.Any || steps is null)
            return null;

        var image = await context.Images.ReadAsync(request.Image, "image", model, context.CancellationToken);
        return new Plan(new ImageOutput(model, context.Format(request.Format)), image, steps, RequestRules.Sampler(request.Sampler, null, inverts: true, model));
    }

    public override async Task<EncodeResponse> RunAsync(Plan plan, OperationRun run)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(run);
        var model = plan.Output.Model;
        run.Tracker?.Announce(EvaluationCount.Inversion(model, plan.StepsPerGroup, plan.Sampler) + EvaluationCount.Generation(model, plan.StepsPerGroup, plan.Sampler));
        var version = model.NewRecipes;
        var latent = (await run.Generator.InvertAsync(model, [plan.Image.Coefficients], plan.StepsPerGroup, plan.Sampler, version, run.Tracker, run.CancellationToken))[0];
        var recipe = new ImageRecipe(model.Name, new RecipeLatent.Explicit(latent), plan.StepsPerGroup, plan.Sampler, Version: version);
        var decoded = (await run.Generator.GenerateAsync(model, [recipe], run.Tracker, run.CancellationToken))[0];

        var range = model.Manifest.ValueRange;
        var psnr = PeakSignalToNoise.Decibels(plan.Image.Pixels, plan.Output.Pixels(decoded.Coefficients), range[0], range[1]);
        return new EncodeResponse(model.Name, RecipeJson.ToDocument(recipe), Math.Round(psnr, 2), plan.Output.Data(decoded), plan.Image.Report);
    }

    public override bool MakesOneImage(Plan plan) => true;

    public override byte[] Png(EncodeResponse result) => Convert.FromBase64String(result?.Reconstruction.Png ?? "");

    public override JsonObject Example(RequestExamples examples) => examples?.Encode(upload: false) ?? [];

    public override JsonObject? UploadExample(RequestExamples examples) => examples?.Encode(upload: true);

    /// <summary>The upload as the model's input, the ODE settings, and how the reconstruction is written.</summary>
    public sealed record Plan(ImageOutput Output, UploadedImage Image, IReadOnlyList<int> StepsPerGroup, SamplerKind Sampler);
}
