using Gdm.Api.Inference;
using Gdm.Api.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gdm.Api.Endpoints;

/// <summary>Liveness (the process answers) and readiness (models loaded and warmed up; in cluster mode, Redis answers).</summary>
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
            .WithSummary("Readiness: the models are loaded and warmed up, and in cluster mode Redis answers")
            .WithDescription("503 with the reason until every model of the folder was loaded (or refused) and at least one serves; in cluster mode also while the cluster's Redis does not answer a PING within 2 s (jobs could be neither queued nor read).")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static Ok<HealthView> Live() => TypedResults.Ok(new HealthView("live", "the process is up"));

    /// <summary>How long readiness waits for the cluster's Redis to answer a PING.</summary>
    public static readonly TimeSpan RedisTimeout = TimeSpan.FromSeconds(2);

    public static async Task<Results<Ok<HealthView>, ProblemHttpResult>> Ready(ModelCatalog catalog, IOptions<ClusterOptions> cluster, IServiceProvider services,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(services);
        if (!catalog.IsReady)
            return NotReady(catalog.Status);
        if (cluster.Value.Enabled)
        {
            // The connection string may hold a password: the answer names Redis, never the string.
            var redis = services.GetRequiredService<IConnectionMultiplexer>();
            try
            {
                await redis.GetDatabase().PingAsync().WaitAsync(RedisTimeout, cancellationToken);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                return NotReady($"the cluster's Redis does not answer ({(e is TimeoutException ? $"no PING reply within {RedisTimeout.TotalSeconds:0} s" : e.Message)}); {catalog.Status}");
            }
        }

        return TypedResults.Ok(new HealthView("ready", catalog.Status));
    }

    private static ProblemHttpResult NotReady(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: detail);
}

public sealed record HealthView(string Status, string Detail);
