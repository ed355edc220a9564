using System.Collections.Concurrent;
using Gdm.Api.Inference;
using Gdm.Api.Options;
using Gdm.Core;
using Gdm.Core.Models;
using Gdm.Core.Sampling;
using Gdm.Tests.Api.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gdm.Tests.Api.Inference;

/// <summary>
/// A batch cut over single-threaded shards comes out as the one session computes it: each image from its own slice,
/// slices contiguous and even, a batch of one on the whole network, a shard's failure raised to the caller; and on
/// the shipped model, bit-identical to the one 2-thread session, since recipes replay to the bit whichever batch an
/// image was in.
/// </summary>
public sealed class ShardedImageNetworkTests
{
    private static readonly ImageShape Shape = new(1, 4, 4);

    [Theory]
    [InlineData(2, 2)]
    [InlineData(2, 7)]
    [InlineData(3, 16)]
    [InlineData(4, 3)]
    public void Every_image_comes_out_of_one_contiguous_slice_as_the_network_computes_it_alone(int shardCount, int batch)
    {
        var whole = new RecordingNetwork(Shape);
        var shards = Enumerable.Range(0, shardCount).Select(_ => new RecordingNetwork(Shape)).ToArray();
        using var sharded = new ShardedImageNetwork(whole, shards);
        var (pixels, times) = Batch(batch, seed: batch);
        var output = new float[pixels.Length];

        sharded.Run(pixels, times, output);

        var expected = new float[pixels.Length];
        new AnalyticNetwork(Shape).Run(pixels, times, expected);
        Assert.Equal(expected, output);
        Assert.Empty(whole.Calls);
        var slices = shards.Where(s => !s.Calls.IsEmpty).Select(s => Assert.Single(s.Calls)).OrderBy(c => c.FirstTime).ToArray();
        Assert.Equal(Math.Min(batch, shardCount), slices.Length);
        Assert.Equal(batch, slices.Sum(c => c.Batch));
        Assert.True(slices.Max(c => c.Batch) - slices.Min(c => c.Batch) <= 1, $"slices of {string.Join(", ", slices.Select(c => c.Batch))} images");
        // Contiguous and in order: each slice starts at the image after the previous slice's last.
        var start = 0;
        foreach (var slice in slices)
        {
            Assert.Equal(times[start], slice.FirstTime);
            start += slice.Batch;
        }
    }

    [Fact]
    public void A_batch_of_one_runs_on_the_whole_network()
    {
        var whole = new RecordingNetwork(Shape);
        var shards = new[] { new RecordingNetwork(Shape), new RecordingNetwork(Shape) };
        using var sharded = new ShardedImageNetwork(whole, shards);
        var (pixels, times) = Batch(1, seed: 1);

        sharded.Run(pixels, times, new float[pixels.Length]);

        Assert.Equal(1, Assert.Single(whole.Calls).Batch);
        Assert.All(shards, s => Assert.Empty(s.Calls));
    }

    [Fact]
    public void A_failing_shard_fails_the_call_and_the_next_call_still_runs()
    {
        var failing = new RecordingNetwork(Shape) { FailNext = true };
        using var sharded = new ShardedImageNetwork(new RecordingNetwork(Shape), [new RecordingNetwork(Shape), failing]);
        var (pixels, times) = Batch(4, seed: 4);
        var output = new float[pixels.Length];

        var error = Assert.Throws<InvalidOperationException>(() => sharded.Run(pixels, times, output));
        sharded.Run(pixels, times, output);

        Assert.Equal("shard failed on purpose", error.Message);
        var expected = new float[pixels.Length];
        new AnalyticNetwork(Shape).Run(pixels, times, expected);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void A_batch_of_the_wrong_size_is_refused_before_any_shard_runs()
    {
        var shards = new[] { new RecordingNetwork(Shape), new RecordingNetwork(Shape) };
        using var sharded = new ShardedImageNetwork(new RecordingNetwork(Shape), shards);

        var error = Assert.Throws<ArgumentException>(() => sharded.Run(new float[3 * Shape.Size], new float[4], new float[3 * Shape.Size]));

        Assert.Contains("a batch of 4", error.Message);
        Assert.All(shards, s => Assert.Empty(s.Calls));
    }

    [Fact]
    public void Shards_of_another_shape_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new ShardedImageNetwork(new RecordingNetwork(Shape), [new RecordingNetwork(Shape), new RecordingNetwork(new ImageShape(1, 8, 8))]));

        Assert.Contains("a shard works on 1x8x8 images, the whole network on 1x4x4", error.Message);
    }

    [Fact]
    public void When_the_callers_own_slice_fails_the_call_still_waits_for_every_other_slice()
    {
        // The first shard runs on the caller's thread and fails at once; the second is still busy with its slice.
        var failing = new RecordingNetwork(Shape) { FailNext = true };
        var slow = new RecordingNetwork(Shape) { Delay = TimeSpan.FromMilliseconds(100) };
        using var sharded = new ShardedImageNetwork(new RecordingNetwork(Shape), [failing, slow]);
        var (pixels, times) = Batch(4, seed: 5);

        Assert.Throws<InvalidOperationException>(() => sharded.Run(pixels, times, new float[pixels.Length]));

        // The output spans are unpinned when Run returns: the other slice must have finished writing by then.
        Assert.Equal(1, slow.Finished);
    }

    [Fact]
    public void Dispose_frees_every_session_once_and_a_later_call_is_refused()
    {
        var whole = new RecordingNetwork(Shape);
        var shards = new[] { new RecordingNetwork(Shape), new RecordingNetwork(Shape), new RecordingNetwork(Shape) };
        var sharded = new ShardedImageNetwork(whole, shards);
        var (pixels, times) = Batch(6, seed: 6);
        sharded.Run(pixels, times, new float[pixels.Length]);

        sharded.Dispose();
        sharded.Dispose();

        Assert.Equal(1, whole.Disposals);
        Assert.All(shards, s => Assert.Equal(1, s.Disposals));
        Assert.Throws<ObjectDisposedException>(() => sharded.Run(pixels, times, new float[pixels.Length]));
        Assert.Throws<ObjectDisposedException>(() => sharded.Run(pixels.AsSpan(0, Shape.Size), times.AsSpan(0, 1), new float[Shape.Size]));
    }

    [Fact]
    public void On_the_shipped_model_two_single_threaded_shards_give_the_one_two_thread_sessions_output_to_the_bit()
    {
        var folder = Path.Combine(ShippedModels.Folder, "fashion-dct");
        var manifest = ModelManifest.Read(Path.Combine(folder, ModelManifest.FileName));
        var onnx = Path.Combine(folder, manifest.Network.OnnxFile);
        using var one = (IDisposable)Load(new InferenceOptions { IntraOpThreads = 2, Shards = 1 }, manifest, onnx);
        using var two = (IDisposable)Load(new InferenceOptions { IntraOpThreads = 2, Shards = 2 }, manifest, onnx);
        var sharded = Assert.IsType<ShardedImageNetwork>(two);
        Assert.IsType<OnnxImageNetwork>(one);
        Assert.Equal(2, sharded.ShardCount);

        var size = manifest.Shape.Size;
        foreach (var batch in new[] { 2, 5, 16 })
        {
            var (pixels, times) = Batch(batch, seed: 10 + batch, manifest.Shape);
            var expected = new float[pixels.Length];
            var output = new float[pixels.Length];
            ((IImageNetwork)one).Run(pixels, times, expected);
            sharded.Run(pixels, times, output);
            Assert.Equal(expected, output);

            // And each image alone (a batch of one, on the sharded network's 2-thread session) as inside the sharded batch.
            for (var b = 0; b < batch; b++)
            {
                var alone = new float[size];
                sharded.Run(pixels.AsSpan(b * size, size), times.AsSpan(b, 1), alone);
                Assert.Equal(output.AsSpan(b * size, size).ToArray(), alone);
            }
        }
    }

    [Fact]
    public void The_loader_keeps_one_session_where_one_shard_or_one_thread_is_configured()
    {
        var manifest = TestModel.Manifest;
        var onnx = Path.Combine(TestModel.Folder, manifest.Network.OnnxFile);

        using var oneThread = (IDisposable)Load(new InferenceOptions { IntraOpThreads = 1 }, manifest, onnx);
        using var oneShard = (IDisposable)Load(new InferenceOptions { IntraOpThreads = 2, Shards = 1 }, manifest, onnx);
        using var threeShards = (IDisposable)Load(new InferenceOptions { IntraOpThreads = 1, Shards = 3 }, manifest, onnx);
        // A shard beyond the engine's largest batch would never get an image: no more shards than MaxBatchSize.
        using var batchesOfTwo = (IDisposable)Load(new InferenceOptions { IntraOpThreads = 4 }, manifest, onnx, maxBatchSize: 2);
        using var batchesOfOne = (IDisposable)Load(new InferenceOptions { IntraOpThreads = 4 }, manifest, onnx, maxBatchSize: 1);

        Assert.IsType<OnnxImageNetwork>(oneThread);
        Assert.IsType<OnnxImageNetwork>(oneShard);
        Assert.Equal(3, Assert.IsType<ShardedImageNetwork>(threeShards).ShardCount);
        Assert.Equal(2, Assert.IsType<ShardedImageNetwork>(batchesOfTwo).ShardCount);
        Assert.IsType<OnnxImageNetwork>(batchesOfOne);
    }

    private static IImageNetwork Load(InferenceOptions options, ModelManifest manifest, string onnx, int maxBatchSize = 16) =>
        new OnnxNetworkLoader(
            Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Options.Options.Create(new EngineOptions { MaxBatchSize = maxBatchSize }),
            NullLogger<OnnxNetworkLoader>.Instance).Load(manifest, onnx);

    // Pixels in [-2, 2] and distinct times, so every image of a batch can be told from the others by its time.
    private static (float[] Pixels, float[] Times) Batch(int batch, int seed, ImageShape? shape = null)
    {
        var random = new Random(seed);
        var size = (shape ?? Shape).Size;
        var pixels = Enumerable.Range(0, batch * size).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var times = Enumerable.Range(0, batch).Select(b => (float)((b + 0.5) / batch)).ToArray();
        return (pixels, times);
    }

    /// <summary>The analytic network, recording the batch size and first time of each call it gets (from any thread).</summary>
    private sealed class RecordingNetwork(ImageShape shape) : IImageNetwork, IDisposable
    {
        private readonly AnalyticNetwork _inner = new(shape);
        private int _finished;
        private int _disposals;

        public ConcurrentQueue<(int Batch, float FirstTime)> Calls { get; } = new();

        public bool FailNext { get; set; }

        /// <summary>How long each call takes beyond its arithmetic: a shard that is still busy.</summary>
        public TimeSpan Delay { get; init; }

        public int Finished => Volatile.Read(ref _finished);

        public int Disposals => Volatile.Read(ref _disposals);

        public ImageShape Shape => shape;

        public void Run(ReadOnlySpan<float> pixels, ReadOnlySpan<float> times, Span<float> output)
        {
            Calls.Enqueue((times.Length, times[0]));
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("shard failed on purpose");
            }

            if (Delay > TimeSpan.Zero)
                Thread.Sleep(Delay);
            _inner.Run(pixels, times, output);
            Interlocked.Increment(ref _finished);
        }

        public void Dispose() => Interlocked.Increment(ref _disposals);
    }
}
