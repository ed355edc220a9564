using Gdm.Api.Endpoints;
using Gdm.Api.Engine;
using Gdm.Api.Images;
using Gdm.Api.Options;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Prometheus;
using Serilog;

namespace Gdm.Api.Hosting;

public static class HttpPipeline
{
    /// <summary>JSON as on the wire (camelCase, enums as words), uploaded images, ProblemDetails for every error.</summary>
    public static IServiceCollection AddGdmHttp(this IServiceCollection services)
    {
        services.AddSingleton(provider =>
        {
            var uploads = provider.GetRequiredService<IOptions<UploadOptions>>().Value;
            return new UploadDecodeGate(uploads.MaxConcurrentDecodes, uploads.MaxQueuedDecodes, uploads.DecodeMemoryBudgetBytes);
        });
        services.AddSingleton<UploadReader>();
        services.AddSingleton<InFlightRequests>();
        services.AddSingleton<GracefulShutdown>();
        services.AddHostedService(provider => provider.GetRequiredService<GracefulShutdown>());
        // The host's own limit on stopping: both drains and a margin for stopping what is left.
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>, IOptions<ClusterOptions>>((host, shutdown, cluster) =>
            host.ShutdownTimeout = shutdown.Value.HostStopTimeout(cluster.Value));
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(options => RecipeMapping.Configure(options.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(options => RecipeMapping.Configure(options.JsonSerializerOptions));
        // Bad JSON becomes an exception, so the handler can name the field instead of answering an empty 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = RoutingProblems.Describe);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }

    /// <summary>Request logging, errors as ProblemDetails, the body limit, request metrics and Prometheus' HTTP metrics.</summary>
    public static WebApplication UseGdmHttp(this WebApplication app)
    {
        // The host's own Serilog logger: the middleware's default is the static one, which this service leaves alone.
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.GetLevel = (http, _, error) => error is not null || http.Response.StatusCode >= 500 && http.Response.StatusCode != 503
                ? Serilog.Events.LogEventLevel.Error
                : http.Response.StatusCode is 429 or 503 ? Serilog.Events.LogEventLevel.Warning : Serilog.Events.LogEventLevel.Information;
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(app.Services.GetRequiredService<GracefulShutdown>().GuardAsync);
        // After routing, so the limit can depend on the endpoint (reading headers to route reads no body).
        app.UseRouting();
        app.Use(LimitBody);
        app.UseHttpMetrics();
        app.Use(CountRequests);
        return app;
    }

    // Endpoints that take images have their own, larger limit (Uploads:MaxRequestBodyBytes).
    private static async Task LimitBody(HttpContext http, RequestDelegate next)
    {
        var takesImages = http.GetEndpoint()?.Metadata.GetMetadata<ImageUploadsMetadata>() is not null;
        var (limit, option) = takesImages
            ? (http.RequestServices.GetRequiredService<IOptions<UploadOptions>>().Value.MaxRequestBodyBytes, "Uploads:MaxRequestBodyBytes")
            : (http.RequestServices.GetRequiredService<IOptions<RequestLimitOptions>>().Value.MaxRequestBodyBytes, "Limits:MaxRequestBodyBytes");
        if (http.Request.ContentLength > limit)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "Request body too large",
                    Detail = $"body: {http.Request.ContentLength} bytes, the limit ({option}) is {limit}",
                },
            });
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        await next(http);
    }

    // gdm_requests_total{endpoint, outcome} for the /v1 endpoints, outcome read from the final status code.
    private static async Task CountRequests(HttpContext http, RequestDelegate next)
    {
        try
        {
            await next(http);
        }
        finally
        {
            if (http.Request.Path.StartsWithSegments("/v1"))
            {
                var endpoint = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "unmatched";
                EngineMetrics.Requests.WithLabels(endpoint, Outcome(http)).Inc();
            }
        }
    }

    private static string Outcome(HttpContext http) => http.RequestAborted.IsCancellationRequested ? "cancelled" : http.Response.StatusCode switch
    {
        StatusCodes.Status202Accepted => "accepted",
        >= 200 and < 300 => "ok",
        StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge => "invalid",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status429TooManyRequests => "rejected",
        499 => "cancelled",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        >= 500 => "error",
        _ => "other",
    };
}
