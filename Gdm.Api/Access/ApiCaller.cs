using System.Security.Claims;

namespace Gdm.Api.Access;

public static class ApiCaller
{
    /// <summary>The caller's key id, or null without API keys (then every caller sees every job).</summary>
    public static string? KeyId(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity is { IsAuthenticated: true, AuthenticationType: ApiKeyAuthentication.SchemeName }
            ? user.FindFirstValue(ClaimTypes.NameIdentifier)
            : null;
    }
}
