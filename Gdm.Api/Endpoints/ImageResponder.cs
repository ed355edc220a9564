using Gdm.Api.Endpoints.Contracts;
using Gdm.Api.Engine;
using Gdm.Api.Options;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gdm.Api.Endpoints;

/// <summary>
/// Runs a plan for a waiting client: deadline from the options, the client's disconnect ends its trajectories, and a
/// client that asks for image/png gets the single image's PNG bytes instead of JSON.
/// </summary>
public static class ImageResponder
{
    public static async Task<Results<Ok<ImagesResponse>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> RespondAsync(
        ImagePlan plan, HttpContext http, ImageGenerator generator, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(http);
        var wantsPng = AcceptsPng(http.Request);
        if (wantsPng && plan.Recipes.Count != 1)
            return Problems.NotAcceptable($"image/png holds one image but this request makes {plan.Recipes.Count}: ask for count 1 or accept application/json");

        var outcome = await EngineCall.RunAsync(token => generator.GenerateAsync(plan.Model, plan.Recipes, null, token), http, options);
        if (outcome.Problem is { } problem)
            return problem;
        var images = outcome.Value!;
        if (!wantsPng)
            return TypedResults.Ok(plan.ToResponse(images));
        var png = plan.EncodePng(images[0]);
        return TypedResults.File(png, "image/png");
    }

    public static bool AcceptsPng(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("image/png", StringComparison.OrdinalIgnoreCase));
}
