using Gdm.Api.Inference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gdm.Api.Endpoints;

/// <summary>Liveness (the process answers) and readiness (models loaded and warmed up).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", Live)
            .WithName("Live")
            .WithSummary("Liveness: the process is up")
            .WithDescription("200 as soon as the host runs, also while models load.");
        health.MapGet("/ready", Ready)
            .WithName("Ready")
            .WithSummary("Readiness: the models are loaded and warmed up")
            .WithDescription("503 with the reason until every model of the folder was loaded (or refused) and at least one serves.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static Ok<HealthView> Live() => TypedResults.Ok(new HealthView("live", "the process is up"));

    public static Results<Ok<HealthView>, ProblemHttpResult> Ready(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.IsReady
            ? TypedResults.Ok(new HealthView("ready", catalog.Status))
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: catalog.Status);
    }
}

public sealed record HealthView(string Status, string Detail);
