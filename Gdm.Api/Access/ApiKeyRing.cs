using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Gdm.Api.Options;

namespace Gdm.Api.Access;

/// <summary>
/// The known keys as SHA-256 hashes with their key ids, from ApiKeys:KeyHashes and ApiKeys:KeyHashFile, read once when
/// the service starts (a bad entry stops the start, naming the setting or the file's line). A presented key is hashed
/// and compared with every hash in constant time, so neither the match nor its position shows in the timing.
/// </summary>
public sealed partial class ApiKeyRing
{
    private readonly (byte[] Hash, string Id)[] _keys;

    private ApiKeyRing((byte[] Hash, string Id)[] keys) => _keys = keys;

    /// <summary>The key id of this key, or null when it is not one of the ring's.</summary>
    public string? Identify(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        string? found = null;
        foreach (var (known, id) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, known))
                found = id;
        return found;
    }

    /// <summary>The lower-case hex SHA-256 of a key, as ApiKeys:KeyHashes and the key file hold it.</summary>
    public static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key ?? throw new ArgumentNullException(nameof(key)))));

    /// <summary>Reads the configured hashes; throws naming every bad setting or line, or a required ring without keys.</summary>
    public static ApiKeyRing Load(ApiKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var entries = options.KeyHashes.Select(e => (Where: $"{ApiKeyOptions.Section}:KeyHashes:{e.Key}", Id: e.Key, Hash: e.Value)).ToList();
        if (!string.IsNullOrWhiteSpace(options.KeyHashFile))
            entries.AddRange(ReadFile(options.KeyHashFile, errors));

        var keys = new List<(byte[] Hash, string Id)>();
        foreach (var (where, id, hash) in entries)
        {
            if (!KeyId().IsMatch(id))
                errors.Add($"{where}: the key id '{id}' must be 1 to 64 letters, digits, '.', '_' or '-'");
            else if (!Sha256Hex().IsMatch(hash))
                errors.Add($"{where}: must be a SHA-256 as 64 hex digits (printf %s \"$KEY\" | sha256sum), got {hash.Length} characters");
            else if (keys.Any(k => k.Id == id))
                errors.Add($"{where}: the key id '{id}' is given twice");
            else if (keys.FirstOrDefault(k => k.Hash.AsSpan().SequenceEqual(Convert.FromHexString(hash))) is { Id: { } other })
                errors.Add($"{where}: the same key as '{other}'");
            else
                keys.Add((Convert.FromHexString(hash), id));
        }

        if (options.Required && errors.Count == 0 && keys.Count == 0)
            errors.Add($"{ApiKeyOptions.Section}:Required is true but no key is configured ({ApiKeyOptions.Section}:KeyHashFile is empty)");
        if (errors.Count > 0)
            throw new InvalidOperationException("The API keys cannot be read: " + string.Join("; ", errors));
        return new ApiKeyRing(keys.ToArray());
    }

    private static IEnumerable<(string Where, string Id, string Hash)> ReadFile(string path, List<string> errors)
    {
        var setting = $"{ApiKeyOptions.Section}:KeyHashFile";
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{setting}: '{path}' cannot be read: {e.Message}");
            return [];
        }

        var entries = new List<(string, string, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var where = string.Create(CultureInfo.InvariantCulture, $"{path} line {i + 1}");
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
                errors.Add($"{where}: expected '<sha-256 hex> <key id>', got {fields.Length} fields");
            else
                entries.Add((where, fields[1], fields[0]));
        }

        return entries;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex KeyId();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();
}
