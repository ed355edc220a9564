using System.Collections;
using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints;

/// <summary>Field-named validation errors collected while a request is checked; field names are JSON paths ("source.noise[2].seed").</summary>
public sealed class RequestErrors(string root = "") : ICollection<FieldError>
{
    private readonly List<FieldError> _errors = [];

    public bool Any => _errors.Count > 0;

    public int Count => _errors.Count;

    public bool IsReadOnly => false;

    /// <summary>Adds an error on a field (a path relative to the root this collection was made for, e.g. "samples").</summary>
    public void Add(string field, string message) => Add(new FieldError(field, message));

    public void Add(FieldError item)
    {
        ArgumentNullException.ThrowIfNull(item);
        _errors.Add(item with { Path = Join(root, item.Path) });
    }

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.GroupBy(e => e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);

    /// <summary>"field: message" of the first error, for the problem's detail.</summary>
    public string Summary()
    {
        var first = _errors[0];
        var fields = _errors.Select(e => e.Path).Distinct().Count();
        var more = fields > 1 ? $" (and {fields - 1} more)" : "";
        return $"{first.Path}: {first.Message}{more}";
    }

    public static string Join(string prefix, string field) => field.Length == 0 ? prefix : prefix.Length == 0 ? field : FieldError.Join(prefix, field);

    public void Clear() => _errors.Clear();

    public bool Contains(FieldError item) => _errors.Contains(item);

    public void CopyTo(FieldError[] array, int arrayIndex) => _errors.CopyTo(array, arrayIndex);

    public bool Remove(FieldError item) => _errors.Remove(item);

    public IEnumerator<FieldError> GetEnumerator() => _errors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
