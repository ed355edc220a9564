using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Gdm.Api.Options;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Access;

/// <summary>
/// `Authorization: Bearer &lt;key&gt;` against the ApiKeyRing. A known key makes the caller its key id (the NameIdentifier
/// claim, which owns jobs and names rate partitions); a challenge is a 401 ProblemDetails with a WWW-Authenticate
/// header saying how to authenticate (RFC 6750), and `error="invalid_token"` when a key was sent but is not known.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRing ring, IOptions<ApiKeyOptions> keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private const string Realm = "gdm";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Without ApiKeys:Required nobody is identified: no job has an owner and no key has a share.
        if (!keys.Value.Required || !Request.Headers.TryGetValue("Authorization", out var header))
            return Task.FromResult(AuthenticateResult.NoResult());
        var value = header.ToString();
        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || value.Length <= "Bearer ".Length)
            return Task.FromResult(AuthenticateResult.Fail("the Authorization header is not 'Bearer <key>'"));
        if (ring.Identify(value["Bearer ".Length..].Trim()) is not { } keyId)
            return Task.FromResult(AuthenticateResult.Fail("the API key is not known"));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, keyId)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null
            ? $"Bearer realm=\"{Realm}\""
            : $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"{failure.Message}\"";
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = failure is null
                    ? "this endpoint needs an API key: send Authorization: Bearer <key>"
                    : $"{failure.Message}: send Authorization: Bearer <key> with a key this service knows",
            },
        });
    }
}
