using System.Globalization;

namespace Gdm.Bench;

/// <summary>Command-line settings: `--name value` pairs, each with a default that suits the 2-core reference machine.</summary>
public sealed record BenchOptions
{
    public string Models { get; init; } = "models";

    public string? Model { get; init; }

    public int MaxBatchSize { get; init; } = 16;

    public int IntraOpThreads { get; init; }

    public bool AllowSpinning { get; init; } = true;

    public int RequestsPerClient { get; init; } = 6;

    public IReadOnlyList<int> Clients { get; init; } = [1, 4, 16];

    public int VariationRepeats { get; init; } = 7;

    public int? StepsPerGroup { get; init; }

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
                _ => throw new ArgumentException($"unknown option {args[i]}: use --models DIR --model NAME --max-batch N --threads N --spinning on|off " +
                                                 "--requests-per-client N --clients 1,4,16 --variation-repeats N --steps-per-group N"),
            };
        }

        return options;
    }

    private static int Integer(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive whole number, got '{value}'");
}
