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
            .WithSummary("Redraw some levels of an image")
            .WithDescription("Keeps the source image's groups before the first redrawn one exactly and redraws the named groups' noise " +
                             "(a list, or `fromGroup` for that group and every later one) at a strength in [0, 1]. The run starts at the first " +
                             "redrawn group's boundary from the source's finished prefix (taken from recent outputs when the service just made it), " +
                             "so only the redrawn levels' steps run.")
            .WithTags("Images")
            .Produces<ImagesResponse>(StatusCodes.Status200OK, "application/json", "image/png")
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
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

    public static async Task<Results<Ok<ImagesResponse>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> CreateVariations(
        VariationsRequest request,
        HttpContext http,
        ModelCatalog catalog,
        ImageGenerator generator,
        IOptions<RequestLimitOptions> limits,
        IOptions<EngineOptions> engine)
    {
        if (!catalog.IsReady)
            return Problems.NotReady(http, engine.Value, catalog.Status);
        var errors = new RequestErrors();
        var plan = PlanVariations(request, catalog, limits.Value, errors);
        if (plan is null)
            return Problems.Invalid(errors);
        return await ImageResponder.RespondAsync(plan, http, generator, engine.Value);
    }

    internal static ImagePlan? PlanSamples(SamplesRequest request, ModelCatalog catalog, RequestLimitOptions limits, RequestErrors errors)
    {
        var model = ModelLookup.Resolve(request.Model, "model", catalog, errors);
        return model is null ? null : ImagePlan.ForSamples(request, model, limits, errors);
    }

    internal static ImagePlan? PlanVariations(VariationsRequest request, ModelCatalog catalog, RequestLimitOptions limits, RequestErrors errors)
    {
        var model = ModelLookup.Resolve(request.Source?.Model, "source.model", catalog, errors);
        return model is null ? null : ImagePlan.ForVariations(request, model, limits, errors);
    }
}
