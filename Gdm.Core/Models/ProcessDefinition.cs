using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gdm.Core.Models;

/// <summary>
/// The process a network was trained for, as ONNX metadata_props entries (string keys and values, "gdm." prefixed):
/// image shape, value range, transform, grouping, schedule boundaries and overlap, causal-input, "preconditioned"
/// (always false) and a SHA-256 of the coefficient statistics. The exporter writes them into model.onnx, so the graph
/// itself says which process it belongs to; a manifest edited to another process (which the file checksum cannot see,
/// as it covers only the ONNX bytes) then disagrees with its graph, and Mismatches names the field.
/// </summary>
public static class ProcessDefinition
{
    public const string Prefix = "gdm.";
    public const string VersionKey = Prefix + "process-definition";
    public const int Version = 1;

    /// <summary>The entries for a manifest's process, in a fixed order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Of(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var invariant = CultureInfo.InvariantCulture;
        string Numbers(IEnumerable<double> values) => string.Join(",", values.Select(v => v.ToString("R", invariant)));
        return
        [
            new(VersionKey, Version.ToString(invariant)),
            new(Prefix + "image", $"{manifest.Image.Channels}x{manifest.Image.Height}x{manifest.Image.Width}"),
            new(Prefix + "valueRange", Numbers(manifest.ValueRange)),
            new(Prefix + "transform", manifest.Transform),
            new(Prefix + "grouping", manifest.Grouping),
            new(Prefix + "schedule.boundaries", Numbers(manifest.Schedule.Boundaries)),
            new(Prefix + "schedule.overlap", manifest.Schedule.Overlap.ToString("R", invariant)),
            new(Prefix + "causalInput", manifest.CausalInput ? "true" : "false"),
            // Constant since the preconditioning option was removed: without it exported graphs, so their digests, would change.
            new(Prefix + "preconditioned", "false"),
            new(Prefix + "statistics.sha256", manifest.Statistics is { } statistics ? StatisticsHash(statistics) : "none"),
        ];
    }

    /// <summary>Whether the graph's metadata carries a process definition at all (models exported before it did not).</summary>
    public static bool IsPresent(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.ContainsKey(VersionKey);
    }

    /// <summary>Each field where the manifest and the graph's metadata disagree: (field, manifest's value, graph's value).</summary>
    public static IReadOnlyList<(string Field, string Manifest, string Graph)> Mismatches(ModelManifest manifest, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return Of(manifest)
            .Select(entry => (Field: entry.Key[Prefix.Length..], Manifest: entry.Value, Graph: metadata.TryGetValue(entry.Key, out var value) ? value : "(absent)"))
            .Where(m => m.Manifest != m.Graph)
            .ToArray();
    }

    // Mean, std and group std as their float bits in order: the statistics the band-warp grid reads sigma_g from.
    private static string StatisticsHash(CoefficientStatistics statistics)
    {
        var text = new StringBuilder();
        foreach (var list in new[] { statistics.Mean, statistics.Std, statistics.GroupStd })
        {
            foreach (var value in list)
                text.Append(BitConverter.SingleToInt32Bits(value).ToString("x8", CultureInfo.InvariantCulture));
            text.Append(';');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text.ToString())));
    }
}
