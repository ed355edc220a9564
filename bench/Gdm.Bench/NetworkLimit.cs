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
    public IReadOnlyDictionary<int, NetworkFigure> MeasureInTurn(IReadOnlyList<int> batches, int repeats, double seconds)
    {
        var figures = batches.Distinct().ToDictionary(b => b, _ => new List<NetworkFigure>());
        for (var r = 0; r < repeats; r++)
            foreach (var batch in figures.Keys)
                figures[batch].Add(Measure(batch, seconds));
        return figures.ToDictionary(pair => pair.Key, pair => pair.Value.OrderBy(f => f.EvaluationsPerSecond).ElementAt(pair.Value.Count / 2));
    }
}
