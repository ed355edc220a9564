namespace Gdm.Bench;

/// <summary>The bench's settings (BenchFlags reads them from the command line), each default suited to the 2-core reference machine.</summary>
public sealed record BenchOptions
{
    public string Models { get; init; } = "models";

    public string? Model { get; init; }

    public int MaxBatchSize { get; init; } = 16;

    public int IntraOpThreads { get; init; }

    /// <summary>As the service's Inference:AllowSpinning (off unless asked).</summary>
    public bool AllowSpinning { get; init; }

    /// <summary>As the service's Inference:Shards (0: one single-threaded session per intra-op thread).</summary>
    public int Shards { get; init; }

    public int RequestsPerClient { get; init; } = 6;

    public IReadOnlyList<int> Clients { get; init; } = [1, 4, 16];

    /// <summary>Rounds per client count, each the service's figure followed by the network alone at the batch it formed;
    /// the share of raw is the median of the rounds' ratios, so drift of the machine's speed between rounds cancels.</summary>
    public int ClientRounds { get; init; } = 3;

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
}
