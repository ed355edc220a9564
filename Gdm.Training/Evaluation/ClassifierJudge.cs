using System.Diagnostics;
using Gdm.Core;
using Gdm.Training.Data;
using Gdm.Training.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Gdm.Training.Evaluation;

/// <summary>
/// Trains (or loads from its cache file) the GarmentClassifier on a labelled set, then answers features and labels
/// for batches of images in [-1, 1]. Seeded, so the same data and seed give the same judge.
/// </summary>
public sealed class ClassifierJudge : IDisposable
{
    private const int Batch = 128;
    private readonly GarmentClassifier _network;

    private ClassifierJudge(GarmentClassifier network, ImageShape shape)
    {
        _network = network;
        Shape = shape;
    }

    public ImageShape Shape { get; }

    public double TestAccuracy { get; private set; }

    public static ClassifierJudge TrainOrLoad(LabelledImages train, LabelledImages test, string cacheFile, int epochs, int seed, TextWriter log)
    {
        var shape = train.Images.Shape;
        var classes = train.Labels.Max() + 1;
        torch.manual_seed(seed);
        var network = new GarmentClassifier(shape, classes);
        if (File.Exists(cacheFile))
        {
            network.load(cacheFile);
            log.WriteLine($"classifier: loaded {cacheFile}");
        }
        else
        {
            Train(network, train, epochs, seed, log);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(cacheFile))!);
            network.save(cacheFile);
        }

        network.eval();
        var judge = new ClassifierJudge(network, shape);
        judge.TestAccuracy = judge.Labels(test.Pixels).Zip(test.Labels, (p, l) => p == l ? 1.0 : 0.0).Average();
        log.WriteLine($"classifier: test accuracy {judge.TestAccuracy:P2}");
        return judge;
    }

    public float[][] Features(ReadOnlySpan<float> pixels)
    {
        var result = new List<float[]>();
        Forward(pixels, x => _network.Features(x), rows => result.AddRange(rows));
        return result.ToArray();
    }

    public int[] Labels(ReadOnlySpan<float> pixels)
    {
        var result = new List<int>();
        Forward(pixels, x => _network.forward(x), rows => result.AddRange(rows.Select(r => Array.IndexOf(r, r.Max()))));
        return result.ToArray();
    }

    public void Dispose() => _network.Dispose();

    private void Forward(ReadOnlySpan<float> pixels, Func<Tensor, Tensor> head, Action<float[][]> take)
    {
        var d = Shape.Size;
        var count = pixels.Length / d;
        using var noGradient = no_grad();
        for (var start = 0; start < count; start += Batch)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(Batch, count - start);
            var x = Tensors.Copy(pixels.Slice(start * d, n * d), [n, Shape.Channels, Shape.Height, Shape.Width]);
            var output = head(x).contiguous();
            var width = (int)output.shape[1];
            var values = output.data<float>().ToArray();
            take(Enumerable.Range(0, n).Select(i => values.AsSpan(i * width, width).ToArray()).ToArray());
        }
    }

    private static void Train(GarmentClassifier network, LabelledImages train, int epochs, int seed, TextWriter log)
    {
        var shape = train.Images.Shape;
        var pixels = train.Pixels;
        var order = new DataOrder(train.Images.Count, Batch, seed);
        var steps = (long)epochs * train.Images.Count / Batch;
        using var optimizer = optim.Adam(network.parameters(), lr: 1e-3);
        network.train();
        var clock = Stopwatch.StartNew();
        var batchPixels = new float[Batch * shape.Size];
        var batchLabels = new long[Batch];
        for (long step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var indices = order.Batch(step);
            for (var j = 0; j < Batch; j++)
            {
                pixels.AsSpan(indices[j] * shape.Size, shape.Size).CopyTo(batchPixels.AsSpan(j * shape.Size));
                batchLabels[j] = train.Labels[indices[j]];
            }

            var x = Tensors.Copy(batchPixels, [Batch, shape.Channels, shape.Height, shape.Width]);
            var y = Tensors.Copy(batchLabels, [Batch]);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(network.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step % 200 == 0 || step == steps - 1)
                log.WriteLine($"classifier: step {step + 1}/{steps} loss {loss.item<float>():0.0000} ({clock.Elapsed.TotalSeconds:0}s)");
        }
    }
}
