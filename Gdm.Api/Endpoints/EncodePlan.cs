using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Images;
using Gdm.Api.Inference;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;

namespace Gdm.Api.Endpoints;

/// <summary>
/// A checked encode request: an uploaded image as the model's coefficients and the ODE settings. Running it inverts the
/// image to its latent and decodes that latent again, so the answer says how faithfully the latent names the image.
/// </summary>
public sealed class EncodePlan
{
    private readonly LoadedModel _model;
    private readonly UploadedImage _image;
    private readonly IReadOnlyList<int> _stepsPerGroup;
    private readonly SamplerKind _sampler;
    private readonly OutputFormat _format;

    private EncodePlan(LoadedModel model, UploadedImage image, IReadOnlyList<int> stepsPerGroup, SamplerKind sampler, OutputFormat format)
    {
        _model = model;
        _image = image;
        _stepsPerGroup = stepsPerGroup;
        _sampler = sampler;
        _format = format;
    }

    /// <summary>The plan, or null with errors added; a bad image throws UploadRejectedException.</summary>
    public static async Task<EncodePlan?> CreateAsync(EncodeRequest request, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var model = context.ResolveModel(request.Model);
        if (model is null)
            return null;
        var errors = context.Errors;
        var steps = RecipeMapping.ToSteps("stepsPerGroup", request.StepsPerGroup, model, context.Limits, errors);
        if (request.Image is null)
            errors.Add("image", "give the image to encode: { \"base64\": ... } in JSON, or { \"file\": 0 } with the file in a multipart/form-data request");
        if (errors.Any || steps is null)
            return null;

        var image = await context.Images.ReadAsync(request.Image, "image", model, context.CancellationToken);
        var sampler = request.Sampler ?? SamplerKind.Heun;
        return new EncodePlan(model, image, steps, sampler, request.Format ?? OutputFormat.Png);
    }

    public async Task<EncodeResponse> RunAsync(ImageGenerator generator, ProgressTracker? tracker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        tracker?.Announce(EvaluationCount.Inversion(_model, _stepsPerGroup, _sampler) + EvaluationCount.Generation(_model, _stepsPerGroup, _sampler));
        var latent = (await generator.InvertAsync(_model, [_image.Coefficients], _stepsPerGroup, _sampler, tracker, cancellationToken))[0];
        var recipe = new ImageRecipe(_model.Name, new RecipeLatent.Explicit(latent), _stepsPerGroup, _sampler);
        var decoded = await generator.GenerateAsync(_model, [recipe], tracker, cancellationToken);

        var plan = new ImagePlan(_model, [recipe], null, _format);
        var range = _model.Manifest.ValueRange;
        var psnr = PeakSignalToNoise.Decibels(_image.Pixels, plan.ToPixels(decoded[0].Coefficients), range[0], range[1]);
        return new EncodeResponse(_model.Name, RecipeJson.ToDocument(recipe), Math.Round(psnr, 2), plan.ToData(decoded[0]), _image.Report);
    }
}
