using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gdm.Core.Latents;

namespace Gdm.Api.Endpoints;

/// <summary>
/// Reads a request body strictly, in the client's words: a body that is empty or not JSON is a plain 400; then the
/// JSON is checked against the contract's own serializer metadata before it is bound, so an unknown member, a value of
/// the wrong kind, an enum word that does not exist (the allowed ones are listed), an integer outside its range (the
/// [Range] the schema shows) or a missing required member is a 400 naming the member's JSON path. No message names a
/// .NET type.
/// </summary>
public static class WireJson
{
    /// <summary>The request of type T, or null with errors added (paths relative to the errors' root).</summary>
    public static T? Read<T>(string? text, RequestErrors errors, string emptyField = "body")
        where T : class
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(emptyField, "is empty: send a JSON object (Content-Type: application/json)");
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            errors.Add(emptyField, $"is not JSON: it cannot be read at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                return Read<T>(document.RootElement, "", errors);
            errors.Add(emptyField, $"must be a JSON object, got {Kind(document.RootElement)}");
            return null;
        }
    }

    /// <summary>A JSON value as T, or null with errors added at path.</summary>
    public static T? Read<T>(JsonElement element, string path, RequestErrors errors)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"must be a JSON object, got {Kind(element)}");
            return null;
        }

        Check(element, RecipeJson.Options.GetTypeInfo(typeof(T)), path, null, errors);
        if (errors.Count > before)
            return null;
        try
        {
            return element.Deserialize<T>(RecipeJson.Options);
        }
        catch (JsonException e)
        {
            // The checks above mirror the binder; should they ever miss a case, the answer still names only the path.
            errors.Add(Join(path, FieldOf(e.Path)), "does not fit the schema of this request");
            return null;
        }
    }

    private static void Check(JsonElement element, JsonTypeInfo info, string path, JsonPropertyInfo? property, RequestErrors errors)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (element.ValueKind == JsonValueKind.Null)
        {
            if (info.Type.IsValueType && Nullable.GetUnderlyingType(info.Type) is null)
                errors.Add(path, $"must be {Expected(type)}, got null");
            return;
        }

        if (type == typeof(JsonElement) || type == typeof(System.Text.Json.Nodes.JsonNode))
            return;
        if (type.IsEnum)
        {
            CheckEnum(element, type, path, errors);
            return;
        }

        if (type == typeof(string))
        {
            if (element.ValueKind != JsonValueKind.String)
                errors.Add(path, $"must be a string, got {Kind(element)}");
            return;
        }

        if (type == typeof(bool))
        {
            if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                errors.Add(path, $"must be true or false, got {Kind(element)}");
            return;
        }

        if (IsInteger(type) || type == typeof(double) || type == typeof(float))
        {
            CheckNumber(element, type, path, property, errors);
            return;
        }

        var itemInfo = RecipeJson.Options.GetTypeInfo(type);
        switch (itemInfo.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                if (element.ValueKind != JsonValueKind.Array)
                {
                    errors.Add(path, $"must be an array, got {Kind(element)}");
                    return;
                }

                var items = RecipeJson.Options.GetTypeInfo(itemInfo.ElementType!);
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    Check(item, items, $"{path}[{index++}]", null, errors);
                return;
            case JsonTypeInfoKind.Object:
                CheckObject(element, itemInfo, path, errors);
                return;
            default:
                return;
        }
    }

    private static void CheckObject(JsonElement element, JsonTypeInfo info, string path, RequestErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"must be a JSON object, got {Kind(element)}");
            return;
        }

        var comparer = RecipeJson.Options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var members = info.Properties.ToDictionary(p => p.Name, comparer);
        var seen = new HashSet<string>(comparer);
        foreach (var member in element.EnumerateObject())
        {
            var at = Join(path, member.Name);
            if (!members.TryGetValue(member.Name, out var property))
            {
                errors.Add(at, $"is not a member here; the members are {string.Join(", ", info.Properties.Select(p => p.Name))}");
                continue;
            }

            seen.Add(property.Name);
            Check(member.Value, RecipeJson.Options.GetTypeInfo(property.PropertyType), at, property, errors);
        }

        foreach (var required in info.Properties.Where(p => p.IsRequired && !seen.Contains(p.Name)))
            errors.Add(Join(path, required.Name), "is required");
    }

    private static void CheckEnum(JsonElement element, Type type, string path, RequestErrors errors)
    {
        var allowed = Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)).ToArray();
        if (element.ValueKind != JsonValueKind.String || !allowed.Contains(element.GetString(), StringComparer.Ordinal))
            errors.Add(path, $"must be one of {string.Join(", ", allowed)}, got {Shown(element)}");
    }

    private static void CheckNumber(JsonElement element, Type type, string path, JsonPropertyInfo? property, RequestErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            errors.Add(path, $"must be {Expected(type)}, got {Kind(element)}");
            return;
        }

        var range = property?.AttributeProvider?.GetCustomAttributes(typeof(RangeAttribute), inherit: true).OfType<RangeAttribute>().FirstOrDefault();
        var (min, max) = range is null ? Limits(type) : (Exact(range.Minimum), Exact(range.Maximum));
        if (!element.TryGetDecimal(out var value))
        {
            errors.Add(path, $"must be {Expected(type)} between {min} and {max}, got {element.GetRawText()}");
            return;
        }

        if (IsInteger(type) && value != decimal.Truncate(value) || value < min || value > max)
            errors.Add(path, $"must be {Expected(type)} between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, got {element.GetRawText()}");
    }

    // A [Range] bound as written (2^53 - 1 is exact as a double, but decimal's conversion of a double keeps 15 digits).
    private static decimal Exact(object bound) =>
        decimal.Parse(bound is double d ? d.ToString("R", CultureInfo.InvariantCulture) : System.Convert.ToString(bound, CultureInfo.InvariantCulture)!, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool IsInteger(Type type) => type == typeof(int) || type == typeof(long) || type == typeof(ulong) || type == typeof(uint);

    private static (decimal Min, decimal Max) Limits(Type type) =>
        type == typeof(int) ? (int.MinValue, int.MaxValue)
        : type == typeof(uint) ? (uint.MinValue, uint.MaxValue)
        : type == typeof(long) ? (long.MinValue, long.MaxValue)
        : type == typeof(ulong) ? (ulong.MinValue, ulong.MaxValue)
        : (decimal.MinValue, decimal.MaxValue);

    private static string Expected(Type type) => IsInteger(type) ? "an integer" : type == typeof(double) || type == typeof(float) ? "a number" : "a value";

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Shown(JsonElement element) => element.ValueKind == JsonValueKind.String ? $"'{element.GetString()}'" : Kind(element);

    private static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');

    private static string Join(string path, string member) => member.Length == 0 ? path : FieldError.Join(path, member);
}
