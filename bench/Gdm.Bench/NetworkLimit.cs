using System.Diagnostics;
using Gdm.Core.Sampling;

namespace Gdm.Bench;

/// <summary>One figure of the network alone at one batch size, with what the machine was doing meanwhile.</summary>
public sealed record NetworkFigure(int Batch, double EvaluationsPerSecond, double ImagesPerSecond, double AchievedGflops, double ShareOfPeak, double OtherCores);

/// <summary>
/// The raw limit: the network's Run called back to back at one batch size, no sampler, transform or service around
/// it, inputs and outputs allocated once. An evaluation is one image through the network once; an image of the
/// service needs `evaluationsPerImage` of them.
/// </summary>
public sealed class NetworkLimit(IImageNetwork network, double flopsPerEvaluation, double peakGflops, int evaluationsPerImage)
{
    public NetworkFigure Measure(int batch, double seconds)
    {
        var d = network.Shape.Size;
        var random = new Random(batch);
        var pixels = Enumerable.Range(0, batch * d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var times = Enumerable.Range(0, batch).Select(b => (float)((b + 0.5) / batch)).ToArray();
        var output = new float[pixels.Length];
        network.Run(pixels, times, output); // warm-up: arenas sized for this batch
        var load = MachineLoad.Start();
        var started = Stopwatch.GetTimestamp();
        var calls = 0;
        while (calls < 1 || Stopwatch.GetElapsedTime(started).TotalSeconds < seconds)
        {
            network.Run(pixels, times, output);
            calls++;
        }

        var evaluationsPerSecond = (double)calls * batch / Stopwatch.GetElapsedTime(started).TotalSeconds;
        var gflops = evaluationsPerSecond * flopsPerEvaluation / 1e9;
        return new NetworkFigure(batch, evaluationsPerSecond, evaluationsPerSecond / evaluationsPerImage, gflops, gflops / peakGflops, load.OtherCores());
    }

    /// <summary>The median (by evaluations/s) of `repeats` measurements, taken in turn for each batch size so drift hits all alike.</summary>
    public IReadOnlyDictionary<int, NetworkFigure> MeasureInTurn(IReadOnlyList<int> batches, int repeats, double seconds) =>
        MeasureInTurn([this], batches, repeats, seconds)[0];

    /// <summary>As the instance's MeasureInTurn, for several networks taken in turn within each repeat.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<int, NetworkFigure>> MeasureInTurn(IReadOnlyList<NetworkLimit> limits, IReadOnlyList<int> batches, int repeats, double seconds)
    {
        var figures = limits.Select(_ => batches.Distinct().ToDictionary(b => b, _ => new List<NetworkFigure>())).ToArray();
        for (var r = 0; r < repeats; r++)
            for (var n = 0; n < limits.Count; n++)
                foreach (var batch in figures[n].Keys)
                    figures[n][batch].Add(limits[n].Measure(batch, seconds));
        return figures.Select(byBatch => (IReadOnlyDictionary<int, NetworkFigure>)byBatch.ToDictionary(
            pair => pair.Key, pair => pair.Value.OrderBy(f => f.EvaluationsPerSecond).ElementAt(pair.Value.Count / 2))).ToArray();
    }
}
