using Gdm.Api.Endpoints.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gdm.Api.Endpoints;

/// <summary>POST /v1/levels: what each level of an image alone contributes, as small pictures (the level explorer's rows).</summary>
public static class LevelEndpoints
{
    public static RouteGroupBuilder MapLevelEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/levels", DrawLevels)
            .WithName("DrawLevels")
            .WithSummary("Draw what each level of an image alone contributes")
            .WithDescription("For each group, the inverse transform of the image's coefficients of that group only, as a PNG with 0 at " +
                             "mid grey and white/black at +-`peak`; the parts of all groups add up to the image. The source is a recipe " +
                             "(taken from the recent outputs when the service just made it, else generated) or an uploaded image.")
            .WithTags("Editing")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return v1;
    }

    public static async Task<Results<Ok<LevelsResponse>, ProblemHttpResult>> DrawLevels(LevelsRequest request, HttpContext http, [AsParameters] ImageServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Catalog.IsReady)
            return Problems.NotReady(http, services.Engine.Value, services.Catalog.Status);
        var planned = await RequestPlanning.PlanAsync(context => LevelsPlan.CreateAsync(request, context), services.Uploads.For([]), services, http.RequestAborted);
        if (planned.Problem is { } invalid)
            return invalid;
        var outcome = await EngineCall.RunAsync(token => planned.Plan!.RunAsync(services.Generator, null, token), http, services.Engine.Value);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value!);
    }
}
