namespace Gdm.Api.Endpoints;

/// <summary>Field-named validation errors collected while a request is mapped; field names are JSON paths ("source.noise[2].seed").</summary>
public sealed class RequestErrors(string root = "")
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public int Count => _errors.Values.Sum(list => list.Count);

    /// <summary>Adds an error on a field (a path relative to the root this collection was made for, e.g. "samples").</summary>
    public void Add(string field, string message)
    {
        field = Join(root, field);
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>"field: message" of the first error, for the problem's detail.</summary>
    public string Summary()
    {
        var (field, messages) = _errors.First();
        var more = _errors.Count > 1 ? $" (and {_errors.Count - 1} more)" : "";
        return $"{field}: {messages[0]}{more}";
    }

    public static string Join(string prefix, string field) => prefix.Length == 0 ? field : $"{prefix}.{field}";
}
