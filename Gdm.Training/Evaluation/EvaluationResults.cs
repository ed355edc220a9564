using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gdm.Training.Evaluation;

/// <summary>
/// What `gdm-train evaluate` measured, as docs/results.json beside results.md: the same numbers, for scripts and for
/// comparing runs. Samplers and grids are named by their canonical names (euler, heun-euler-last; uniform, band-warp:1).
/// </summary>
public sealed record EvaluationResults
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    public required string Command { get; init; }

    public required ulong Seed { get; init; }

    /// <summary>Test accuracy of the judge whose features give the Fréchet distances (0..1).</summary>
    public required double JudgeTestAccuracy { get; init; }

    public required IReadOnlyList<FrechetEntry> Frechet { get; init; }

    /// <summary>FD of as many real training images as samples: the floor a perfect model would reach.</summary>
    public required double TrainingImagesFd { get; init; }

    public required LevelTable Levels { get; init; }

    public required IReadOnlyList<LeakageEntry> Leakage { get; init; }

    public required IReadOnlyList<EncodeEntry> Encode { get; init; }

    public required double WallTimeMinutes { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

/// <summary>One model with one sampler and grid: Fréchet distance of its samples to the test set.</summary>
public sealed record FrechetEntry(
    string Name,
    string Grouping,
    bool CausalInput,
    long TrainingSteps,
    string Sampler,
    string Grid,
    IReadOnlyList<int> StepsPerGroup,
    int EvaluationsPerImage,
    int Samples,
    double Fd);

/// <summary>Redrawing the levels from g on: label kept (0..1), mean pixel change in grey levels of 255.</summary>
public sealed record LevelTable(string Model, string Sampler, string Grid, int Images, IReadOnlyList<LevelRow> Rows);

public sealed record LevelRow(int FromGroup, string Group, double LabelKept, double MeanPixelChange, int Evaluations);

/// <summary>Relative RMS change of groups &lt; g when only group g's noise changes, for g = 1, 2, ...</summary>
public sealed record LeakageEntry(string Model, bool CausalInput, string Sampler, string Grid, int Images, IReadOnlyList<LeakageRow> Rows);

public sealed record LeakageRow(int Group, double Leakage);

public sealed record EncodeEntry(string Model, string Sampler, string Grid, IReadOnlyList<int> StepsPerGroup, int Images, double PsnrDb, double LatentStd);
