using System.ComponentModel.DataAnnotations;

namespace Gdm.Api.Options;

/// <summary>
/// API keys. Off by default (a `dotnet run` on loopback needs none); the container and Kubernetes files turn them on.
/// With Required, every /v1 request needs `Authorization: Bearer &lt;key&gt;`, and so do /health and /metrics unless
/// AnonymousHealth or AnonymousMetrics opens them. The service never holds a key, only its SHA-256, under a key id
/// that names it in job ownership, rate partitions and logs. Read once at start-up: changing keys is a restart.
/// </summary>
public sealed class ApiKeyOptions : IValidatableObject
{
    public const string Section = "ApiKeys";

    /// <summary>Whether the API needs a key at all.</summary>
    public bool Required { get; init; }

    /// <summary>Key id to the lower-case hex SHA-256 of the key's UTF-8 bytes (`printf %s "$KEY" | sha256sum`).</summary>
    public IReadOnlyDictionary<string, string> KeyHashes { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// An absolute path to a file of `&lt;sha-256 hex&gt; &lt;key id&gt;` lines (a mounted Secret), read with KeyHashes; blank
    /// lines and lines starting with # are skipped. Empty: no file.
    /// </summary>
    public string KeyHashFile { get; init; } = "";

    /// <summary>/health/live and /health/ready answer without a key (probes send none).</summary>
    public bool AnonymousHealth { get; init; }

    /// <summary>/metrics answers without a key (a scraper inside the cluster).</summary>
    public bool AnonymousMetrics { get; init; }

    /// <summary>Whether a request to this path must carry a known key.</summary>
    public bool NeedsKey(PathString path) =>
        Required && (path.StartsWithSegments("/v1")
                     || path.StartsWithSegments("/health") && !AnonymousHealth
                     || path.StartsWithSegments("/metrics") && !AnonymousMetrics);

    // The entries themselves (and the file's lines) are checked by ApiKeyRing.Load when the service starts.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(KeyHashFile) && !Path.IsPathRooted(KeyHashFile))
            yield return new ValidationResult($"{Section}:KeyHashFile '{KeyHashFile}' must be an absolute path");
        if (Required && KeyHashes.Count == 0 && string.IsNullOrWhiteSpace(KeyHashFile))
            yield return new ValidationResult(
                $"{Section}:Required is true but no key is configured: give {Section}:KeyHashes:<key id> = the key's SHA-256, or {Section}:KeyHashFile");
    }
}
