using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Endpoints;

/// <summary>POST /v1/samples and POST /v1/variations: images made while the client waits.</summary>
public static class ImageEndpoints
{
    public static RouteGroupBuilder MapImageEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/samples", CreateSamples)
            .WithName("CreateSamples")
            .WithSummary("Make new images")
            .WithDescription("Samples `count` images (seed drawn when absent; image i uses seed + i). Every image comes with its recipe, " +
                             "which this endpoint accepts as is to make the same image bit for bit. Send `Accept: image/png` with count 1 " +
                             "to get the PNG itself (the recipe is in its tEXt chunk `gdm-recipe`).")
            .WithTags("Images")
            .Produces<ImagesResponse>(StatusCodes.Status200OK, "application/json", "image/png")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        v1.MapPost("/variations", CreateVariations)
            .WithName("CreateVariations")
            .WithSummary("Redraw some levels of an image (a recipe or an upload)")
            .WithDescription("Keeps the source image's groups before the first redrawn one exactly and redraws the named groups' noise " +
                             "(a list, or `fromGroup` for that group and every later one) at a strength in [0, 1]. The run starts at the first " +
                             "redrawn group's boundary from the source's finished prefix (taken from recent outputs when the service just made it), " +
                             "so only the redrawn levels' steps run. The source is `{ \"recipe\": ... }` or `{ \"image\": ... }` as in mix and traverse; an " +
                             "uploaded image (JSON base64, or multipart/form-data: the JSON in the part `request`, the file in `images`) keeps its own coefficients of the groups below `fromGroup`, exactly and without " +
                             "inversion, and draws every later group anew; each result's recipe carries those coefficients and replays.")
            .WithTags("Images")
            .Produces<ImagesResponse>(StatusCodes.Status200OK, "application/json", "image/png")
            .AcceptsImageUploads<VariationsRequest>()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapUploadForm<VariationsRequest, Results<Ok<ImagesResponse>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>>(
            "/variations", "CreateVariationsFromUpload", VariationsAsync);
        return v1;
    }

    public static async Task<Results<Ok<ImagesResponse>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> CreateSamples(
        SamplesRequest request,
        HttpContext http,
        ModelCatalog catalog,
        ImageGenerator generator,
        IOptions<RequestLimitOptions> limits,
        IOptions<EngineOptions> engine)
    {
        if (!catalog.IsReady)
            return Problems.NotReady(http, engine.Value, catalog.Status);
        var errors = new RequestErrors();
        var plan = PlanSamples(request, catalog, limits.Value, errors);
        if (plan is null)
            return Problems.Invalid(errors);
        return await ImageResponder.RespondAsync(plan, http, generator, engine.Value);
    }

    public static Task<Results<Ok<ImagesResponse>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> CreateVariations(
        VariationsRequest request,
        HttpContext http,
        [AsParameters] ImageServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return VariationsAsync(request, services.Uploads.For([]), http, services);
    }

    internal static async Task<Results<Ok<ImagesResponse>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> VariationsAsync(
        VariationsRequest request,
        RequestImages images,
        HttpContext http,
        ImageServices services)
    {
        if (!services.Catalog.IsReady)
            return Problems.NotReady(http, services.Engine.Value, services.Catalog.Status);
        var planned = await RequestPlanning.PlanAsync(context => PlanVariationsAsync(request, context), images, services, http.RequestAborted);
        if (planned.Problem is { } problem)
            return problem;
        return await ImageResponder.RespondAsync(planned.Plan!, http, services.Generator, services.Engine.Value);
    }

    internal static ImagePlan? PlanSamples(SamplesRequest request, ModelCatalog catalog, RequestLimitOptions limits, RequestErrors errors)
    {
        var model = ModelLookup.Resolve(request.Model, "model", catalog, errors);
        return model is null ? null : ImagePlan.ForSamples(request, model, limits, errors);
    }

    /// <summary>A variations plan of a recipe source, or of an uploaded image (which reads the image; a bad one throws UploadRejectedException).</summary>
    internal static async Task<ImagePlan?> PlanVariationsAsync(VariationsRequest request, PlanningContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Source is { Image: not null })
            return await UploadVariations.PlanAsync(request, context);
        var errors = context.Errors;
        if (request.Model is not null && request.Source?.Recipe?.Model is { } named && named != request.Model)
            errors.Add("model", $"is '{request.Model}', but the source recipe names model '{named}'");
        var model = context.ResolveModel(request.Source?.Recipe?.Model ?? request.Model, "source.recipe.model");
        return model is null || errors.Any ? null : ImagePlan.ForVariations(request, model, context.Limits, errors);
    }
}
