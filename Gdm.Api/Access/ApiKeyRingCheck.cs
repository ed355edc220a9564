using Gdm.Api.Options;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Access;

/// <summary>Checks at start-up that the configured key hashes (settings and file) read as a ring, naming what is wrong.</summary>
public sealed class ApiKeyRingCheck : IValidateOptions<ApiKeyOptions>
{
    /// <summary>The ring read when the options were checked: the one the service uses.</summary>
    public ApiKeyRing? Ring { get; private set; }

    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            Ring ??= ApiKeyRing.Load(options);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
