using Gdm.Api.Inference;
using Microsoft.ML.OnnxRuntime;

namespace Gdm.Bench;

/// <summary>
/// ONNX Runtime session options and graph forms measured against each other on the network alone: each variant is
/// its own session over the model's graph (or the group-norm rewrite of it, or the graph with its group norms left
/// out as a bound), all measured in turn, round after round, so drift of other load hits all alike; ratios are
/// against ONNX Runtime's defaults.
/// </summary>
public static class SessionVariants
{
    public enum GraphForm
    {
        Exported,
        InstanceNorm,
        GroupNormsLeftOut,
    }

    public sealed record Variant(string Name, GraphForm Graph, Action<SessionOptions> Configure);

    public static IReadOnlyList<Variant> All(int threads) =>
    [
        new("ONNX Runtime defaults (ENABLE_ALL, spinning on, arena on)", GraphForm.Exported, _ => { }),
        new("spinning off (the service's setting)", GraphForm.Exported, SessionSpinning.TurnOff),
        new("ENABLE_EXTENDED (no NCHWc layout)", GraphForm.Exported, o => o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED),
        new("ENABLE_BASIC", GraphForm.Exported, o => o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC),
        new("memory arena off", GraphForm.Exported, o => o.EnableCpuMemArena = false),
        new("dynamic block base 4", GraphForm.Exported, o => SetDynamicBlockBase(o, 4)),
        .. new[] { 1, 2, 4, 8 }.Select(blockBase => new Variant($"dynamic block base {blockBase}, spinning off", GraphForm.Exported, o =>
        {
            SessionSpinning.TurnOff(o);
            SetDynamicBlockBase(o, blockBase);
        })),
        new($"parallel execution (inter-op {threads}, intra-op 1)", GraphForm.Exported, o =>
        {
            o.ExecutionMode = ExecutionMode.ORT_PARALLEL;
            o.InterOpNumThreads = threads;
            o.IntraOpNumThreads = 1;
        }),
        new("group norms as InstanceNormalization", GraphForm.InstanceNorm, _ => { }),
        new("group norms as InstanceNormalization, spinning off", GraphForm.InstanceNorm, SessionSpinning.TurnOff),
        // What one shard is, and the most any group-norm rewrite could gain it: a wrong network without them.
        new("one thread, spinning off (a shard)", GraphForm.Exported, OneThread),
        new("one thread, group norms left out (a bound, not a network)", GraphForm.GroupNormsLeftOut, OneThread),
        new("group norms left out, spinning off (a bound, not a network)", GraphForm.GroupNormsLeftOut, SessionSpinning.TurnOff),
    ];

    private static void OneThread(SessionOptions options)
    {
        SessionSpinning.TurnOff(options);
        options.IntraOpNumThreads = 1;
    }

    /// <summary>How finely ONNX Runtime splits a parallel loop among its threads (ONNX Runtime's default: 0).</summary>
    private static void SetDynamicBlockBase(SessionOptions options, int blockBase) =>
        options.AddSessionConfigEntry("session.dynamic_block_base", blockBase.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Medians per variant and batch size, printed as they are known; returns them by variant name.</summary>
    public static Dictionary<string, Dictionary<int, NetworkFigure>> Measure(
        LoadedModel model, int threads, IReadOnlyList<int> batches, double flopsPerEvaluation, double peakGflops, int evaluationsPerImage, double seconds, int rounds)
    {
        var onnxPath = Path.Combine(model.Folder, model.Manifest.Network.OnnxFile);
        var rewrittenPath = Path.Combine(Path.GetTempPath(), $"gdm-bench-{Environment.ProcessId}-instancenorm.onnx");
        var rewritten = GraphCopy.Write(onnxPath, rewrittenPath, GroupNormRewrite.Rewrite);
        var bypassedPath = Path.Combine(Path.GetTempPath(), $"gdm-bench-{Environment.ProcessId}-no-group-norms.onnx");
        var bypassed = GraphCopy.Write(onnxPath, bypassedPath, GroupNormBypass.Bypass);
        Console.WriteLine($"session variants ({rewritten} group norms rewritten for the InstanceNormalization graph, {bypassed} left out for the bound, " +
                          "temporary copies; the model's file is untouched):");
        var networks = new List<(Variant Variant, OnnxImageNetwork Network)>();
        try
        {
            foreach (var variant in All(threads))
            {
                var options = new SessionOptions
                {
                    GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                    IntraOpNumThreads = threads,
                    LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
                };
                variant.Configure(options);
                var path = variant.Graph switch
                {
                    GraphForm.InstanceNorm => rewrittenPath,
                    GraphForm.GroupNormsLeftOut => bypassedPath,
                    _ => onnxPath,
                };
                var session = new InferenceSession(path, options);
                options.Dispose();
                networks.Add((variant, new OnnxImageNetwork(session, model.Manifest, path, ExecutionProviderKind.Cpu)));
            }

            // Every variant computes the same function: its largest difference from the first variant's on one batch.
            var d = model.Shape.Size;
            var random = new Random(7);
            var x = Enumerable.Range(0, 7 * d).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            var t = Enumerable.Range(0, 7).Select(_ => (float)random.NextDouble()).ToArray();
            var reference = new float[x.Length];
            networks[0].Network.Run(x, t, reference);
            var difference = networks.ToDictionary(n => n.Variant.Name, n =>
            {
                var output = new float[x.Length];
                n.Network.Run(x, t, output);
                return output.Zip(reference, (a, b) => (double)Math.Abs(a - b)).Max();
            });

            var figures = networks.ToDictionary(n => n.Variant.Name, _ => batches.ToDictionary(b => b, _ => new List<NetworkFigure>()));
            for (var r = 0; r < rounds; r++)
                foreach (var (variant, network) in networks)
                    foreach (var batch in batches)
                        figures[variant.Name][batch].Add(new NetworkLimit(network, flopsPerEvaluation, peakGflops, evaluationsPerImage).Measure(batch, seconds));

            var medians = figures.ToDictionary(
                v => v.Key,
                v => v.Value.ToDictionary(b => b.Key, b => b.Value.OrderBy(f => f.EvaluationsPerSecond).ElementAt(b.Value.Count / 2)));
            var baseline = medians[networks[0].Variant.Name];
            foreach (var (name, byBatch) in medians)
                Console.WriteLine($"  {name,-62} max |u - u(default)| {difference[name],8:G2}; " + string.Join("; ", byBatch.Values.Select(f =>
                    $"batch {f.Batch,2}: {f.EvaluationsPerSecond,7:F1} evaluations/s {f.ShareOfPeak,4:P0} of peak ({f.EvaluationsPerSecond / baseline[f.Batch].EvaluationsPerSecond,5:F2} x){(f.OtherCores > MachineLoad.BusyOtherCores ? " BUSY" : "")}")));
            return medians;
        }
        finally
        {
            foreach (var (_, network) in networks)
                network.Dispose();
            File.Delete(rewrittenPath);
            File.Delete(bypassedPath);
        }
    }
}
