using System.Globalization;
using System.Threading.RateLimiting;
using Gdm.Api.Access;
using Gdm.Api.Engine;
using Gdm.Api.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Hosting;

public static class ApiKeyRegistration
{
    /// <summary>
    /// API keys (ApiKeys) and each key's fair share (FairShare): the key ring read once at start-up, the bearer
    /// scheme, and ASP.NET Core's rate limiter partitioned by key id for the work endpoints (every POST under /v1).
    /// </summary>
    public static IServiceCollection AddGdmApiKeys(this IServiceCollection services)
    {
        // The ring is read once when the options are checked at start-up, so a bad entry stops the start.
        services.AddSingleton<ApiKeyRingCheck>();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>>(provider => provider.GetRequiredService<ApiKeyRingCheck>());
        services.AddSingleton(provider =>
        {
            _ = provider.GetRequiredService<IOptions<ApiKeyOptions>>().Value;
            return provider.GetRequiredService<ApiKeyRingCheck>().Ring!;
        });
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddRateLimiter(_ => { });
        // The shares are read at the first request (bound and checked at start-up with the other options).
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<FairShareOptions>>((limiter, share) =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => WorkOf(http) is { } keyId
                    ? RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = share.Value.BurstRequestsPerKey,
                        TokensPerPeriod = 1,
                        ReplenishmentPeriod = TimeSpan.FromMinutes(1) / share.Value.RequestsPerMinutePerKey,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => WorkOf(http) is { } keyId
                    ? RateLimitPartition.GetConcurrencyLimiter(keyId, _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = share.Value.ConcurrentRequestsPerKey,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("")));
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>
    /// After UseGdmHttp (so 401s and 429s are logged and counted): who the caller is, a 401 where a key is needed and
    /// missing or unknown, then the caller's share.
    /// </summary>
    public static WebApplication UseGdmApiKeys(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<IOptions<ApiKeyOptions>>();
        app.UseAuthentication();
        app.Use(async (http, next) =>
        {
            if (keys.Value.NeedsKey(http.Request.Path) && http.User.KeyId() is null)
                await http.ChallengeAsync(ApiKeyAuthentication.SchemeName);
            else
                await next(http);
        });
        app.UseRateLimiter();
        return app;
    }

    // The caller's key id for a work request; other requests (reads, event streams, cancellations) take no share.
    private static string? WorkOf(HttpContext http) =>
        HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments("/v1") ? http.User.KeyId() : null;

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var shares = http.RequestServices.GetRequiredService<IOptions<FairShareOptions>>().Value;
        var byRate = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        if (!byRate)
            retryAfter = http.RequestServices.GetRequiredService<EngineQueue>().EstimatedDrainTime;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = byRate
                    ? $"the key '{http.User.KeyId()}' sent more than its share of work requests ({shares.RequestsPerMinutePerKey} a minute, " +
                      $"bursts of {shares.BurstRequestsPerKey}: {FairShareOptions.Section}:RequestsPerMinutePerKey, BurstRequestsPerKey)"
                    : $"the key '{http.User.KeyId()}' already has {shares.ConcurrentRequestsPerKey} work requests in the service " +
                      $"({FairShareOptions.Section}:ConcurrentRequestsPerKey)",
            },
        });
    }
}
