namespace Gdm.Core.Models;

/// <summary>A manifest that cannot be used; Field names the JSON field at fault.</summary>
public sealed class ManifestException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
}
