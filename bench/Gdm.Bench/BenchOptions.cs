using System.Globalization;

namespace Gdm.Bench;

/// <summary>Command-line settings: `--name value` pairs, each with a default that suits the 2-core reference machine.</summary>
public sealed record BenchOptions
{
    public string Models { get; init; } = "models";

    public string? Model { get; init; }

    public int MaxBatchSize { get; init; } = 16;

    public int IntraOpThreads { get; init; }

    /// <summary>As the service's Inference:AllowSpinning (off unless asked).</summary>
    public bool AllowSpinning { get; init; }

    public int RequestsPerClient { get; init; } = 6;

    public IReadOnlyList<int> Clients { get; init; } = [1, 4, 16];

    public int VariationRepeats { get; init; } = 7;

    public int? StepsPerGroup { get; init; }

    // Measuring against the limit (issue 14): the report file, which parts run, and the peer script's parity files.

    /// <summary>Where to write the figures as JSON (BenchReport); none when null.</summary>
    public string? Json { get; init; }

    /// <summary>Parts to run after the limit (which always runs): service, variations, uploads by default; sessions on request.</summary>
    public IReadOnlySet<string> Parts { get; init; } = new HashSet<string>(DefaultParts);

    /// <summary>With ParityOutput: float32 x values then t values (little-endian) to run through the network once.</summary>
    public string? ParityInput { get; init; }

    public string? ParityOutput { get; init; }

    /// <summary>Seconds per network figure (each is the median of three).</summary>
    public double LimitSeconds { get; init; } = 1.5;

    public static readonly IReadOnlyList<string> AllParts = ["limit", "service", "variations", "uploads", "sessions"];

    public static readonly IReadOnlyList<string> DefaultParts = ["limit", "service", "variations", "uploads"];

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--models" => options with { Models = value },
                "--model" => options with { Model = value },
                "--max-batch" => options with { MaxBatchSize = Integer(args[i], value) },
                "--threads" => options with { IntraOpThreads = Integer(args[i], value) },
                "--spinning" => options with { AllowSpinning = value is "on" or "true" },
                "--requests-per-client" => options with { RequestsPerClient = Integer(args[i], value) },
                "--clients" => options with { Clients = value.Split(',').Select(v => Integer(args[i], v)).ToArray() },
                "--variation-repeats" => options with { VariationRepeats = Integer(args[i], value) },
                "--steps-per-group" => options with { StepsPerGroup = Integer(args[i], value) },
                "--json" => options with { Json = value },
                "--parts" => options with { Parts = PartSet(value) },
                "--parity-input" => options with { ParityInput = value },
                "--parity-output" => options with { ParityOutput = value },
                "--limit-seconds" => options with { LimitSeconds = Seconds(args[i], value) },
                _ => throw new ArgumentException($"unknown option {args[i]}: use --models DIR --model NAME --max-batch N --threads N --spinning on|off " +
                                                 "--requests-per-client N --clients 1,4,16 --variation-repeats N --steps-per-group N " +
                                                 "--json FILE --parts limit,service,variations,uploads,sessions --limit-seconds N --parity-input FILE --parity-output FILE"),
            };
        }

        return options;
    }

    private static HashSet<string> PartSet(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = parts.Except(AllParts).ToArray();
        return unknown.Length == 0 ? parts : throw new ArgumentException($"--parts takes {string.Join(",", AllParts)}, got {string.Join(",", unknown)}");
    }

    private static double Seconds(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x > 0
            ? x
            : throw new ArgumentException($"{name} must be a positive number of seconds, got '{value}'");

    private static int Integer(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive whole number, got '{value}'");
}
