using System.Globalization;

namespace Gdm.Training.Cli;

/// <summary>`--name value` pairs and bare `--switch`es after the verb; every flag must be read, or it is reported unknown.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public Arguments(IReadOnlyList<string> args, IReadOnlySet<string> switches)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length < 3)
                throw new UsageException($"unexpected argument '{name}': flags look like --name value");
            if (_values.ContainsKey(name))
                throw new UsageException($"{name} is given twice");
            if (switches.Contains(name))
            {
                _values[name] = null;
                continue;
            }

            if (i + 1 >= args.Count)
                throw new UsageException($"{name} needs a value");
            _values[name] = args[++i];
        }
    }

    public bool Has(string name)
    {
        _read.Add(name);
        return _values.ContainsKey(name);
    }

    public string Required(string name) =>
        Optional(name) ?? throw new UsageException($"{name} is required");

    public string? Optional(string name)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var value) ? value : null;
    }

    public int Integer(string name, int fallback, int minimum = int.MinValue) => (int)Long(name, fallback, minimum);

    public long Long(string name, long fallback, long minimum = long.MinValue)
    {
        var text = Optional(name);
        if (text is null)
            return fallback;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw new UsageException($"{name} must be a whole number, got '{text}'");
        if (value < minimum)
            throw new UsageException($"{name} must be at least {minimum}, got {value}");
        return value;
    }

    public double Number(string name, double fallback, double minimum = double.NegativeInfinity)
    {
        var text = Optional(name);
        if (text is null)
            return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new UsageException($"{name} must be a number, got '{text}'");
        if (value < minimum)
            throw new UsageException($"{name} must be at least {minimum.ToString(CultureInfo.InvariantCulture)}, got {text}");
        return value;
    }

    public IReadOnlyList<int>? Integers(string name)
    {
        var text = Optional(name);
        if (text is null)
            return null;
        if (text.Trim() is "" or "none")
            return [];
        try
        {
            return text.Split(',').Select(t => int.Parse(t.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException)
        {
            throw new UsageException($"{name} must be a comma-separated list of whole numbers, got '{text}'");
        }
    }

    public IReadOnlyList<double>? Numbers(string name)
    {
        var text = Optional(name);
        if (text is null)
            return null;
        try
        {
            return text.Split(',').Select(t => double.Parse(t.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException)
        {
            throw new UsageException($"{name} must be a comma-separated list of numbers, got '{text}'");
        }
    }

    /// <summary>Throws for the first flag no one asked about (a typo, or a flag of another verb).</summary>
    public void RejectUnknown(string verb)
    {
        var unknown = _values.Keys.FirstOrDefault(k => !_read.Contains(k));
        if (unknown is not null)
            throw new UsageException($"{unknown} is not a flag of `{verb}`");
    }
}
