using System.Globalization;
using System.Text.Json;
using Gdm.Core.Models;

namespace Gdm.Training.Training;

/// <summary>
/// The files of one run: options.json, statistics.json, loss.csv, samples/, checkpoints/step-NNNNNNN/ and checkpoints/latest.
/// A checkpoint is written to a .partial folder and renamed, and latest is replaced by a rename, so a reader
/// (export during training) always sees a complete checkpoint.
/// </summary>
public sealed class RunDirectory
{
    public const int CheckpointsKept = 3;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public RunDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public string OptionsFile => Combine("options.json");

    public string LossLog => Combine("loss.csv");

    /// <summary>The data set's coefficient statistics, measured when the run started.</summary>
    public string StatisticsFile => Combine("statistics.json");

    public string SamplesFolder => Combine("samples");

    public string CheckpointsFolder => Combine("checkpoints");

    private string LatestFile => System.IO.Path.Combine(CheckpointsFolder, "latest");

    public void WriteOptions(TrainingOptions options)
    {
        Directory.CreateDirectory(Path);
        File.WriteAllText(OptionsFile, JsonSerializer.Serialize(options, Json));
    }

    public TrainingOptions ReadOptions()
    {
        if (!File.Exists(OptionsFile))
            throw new RunException(OptionsFile, "not found: is this a run directory made by `train`?");
        try
        {
            var json = File.ReadAllText(OptionsFile);
            var options = JsonSerializer.Deserialize<TrainingOptions>(json, Json) ?? throw new RunException(OptionsFile, "empty");
            RefuseRemovedOptions(json);
            return options;
        }
        catch (JsonException e)
        {
            throw new RunException(OptionsFile, $"not valid options ({e.Message})");
        }
    }

    // Preconditioning, training on the band warp and the per-batch group quota were removed once they measured worse
    // (docs/training-ablations.md).
    // A run made with any of them trained for another loss or other times, so it must not resume or export without it.
    private void RefuseRemovedOptions(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("Preconditioned", out var preconditioned) && preconditioned.ValueKind != JsonValueKind.False)
            throw new RunException(OptionsFile, $"Preconditioned is {preconditioned.GetRawText()}: this build no longer has --precondition, and the run's network was trained for it");
        if (root.TryGetProperty("TimeWarpReference", out var warp) && warp.ValueKind != JsonValueKind.Null)
            throw new RunException(OptionsFile, $"TimeWarpReference is {warp.GetRawText()}: this build no longer has --time-warp, and the run's network was trained for it");
        if (root.TryGetProperty("GroupQuota", out var quota) && quota.ValueKind != JsonValueKind.False)
            throw new RunException(OptionsFile, $"GroupQuota is {quota.GetRawText()}: this build no longer has --group-quota, and the run's network was trained for it");
    }

    public void WriteStatistics(CoefficientStatistics statistics)
    {
        Directory.CreateDirectory(Path);
        File.WriteAllText(StatisticsFile, JsonSerializer.Serialize(statistics, Json));
    }

    /// <summary>The statistics saved by `train`, or null for a run started before runs saved them.</summary>
    public CoefficientStatistics? ReadStatistics()
    {
        if (!File.Exists(StatisticsFile))
            return null;
        try
        {
            return JsonSerializer.Deserialize<CoefficientStatistics>(File.ReadAllText(StatisticsFile), Json)
                ?? throw new RunException(StatisticsFile, "empty");
        }
        catch (JsonException e)
        {
            throw new RunException(StatisticsFile, $"not valid statistics ({e.Message})");
        }
    }

    public string CheckpointFolder(long step) =>
        System.IO.Path.Combine(CheckpointsFolder, "step-" + step.ToString("D7", CultureInfo.InvariantCulture));

    /// <summary>The newest complete checkpoint, or null when the run has none yet.</summary>
    public string? LatestCheckpoint()
    {
        if (!File.Exists(LatestFile))
            return null;
        var name = File.ReadAllText(LatestFile).Trim();
        var folder = System.IO.Path.Combine(CheckpointsFolder, name);
        return Directory.Exists(folder) ? folder : throw new RunException(LatestFile, $"names {name}, which does not exist");
    }

    /// <summary>Moves a finished .partial folder into place, points latest at it and prunes old checkpoints.</summary>
    public void Publish(string partialFolder, long step)
    {
        var final = CheckpointFolder(step);
        if (Directory.Exists(final))
            Directory.Delete(final, recursive: true);
        Directory.Move(partialFolder, final);
        var temporary = LatestFile + ".partial";
        File.WriteAllText(temporary, System.IO.Path.GetFileName(final));
        File.Move(temporary, LatestFile, overwrite: true);
        var old = Directory.GetDirectories(CheckpointsFolder, "step-*")
            .Where(d => !d.EndsWith(".partial", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SkipLast(CheckpointsKept);
        foreach (var folder in old)
            Directory.Delete(folder, recursive: true);
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);
}

/// <summary>A run directory that cannot be used; the message is the one line the CLI prints.</summary>
public sealed class RunException(string file, string problem) : Exception($"{file}: {problem}");
