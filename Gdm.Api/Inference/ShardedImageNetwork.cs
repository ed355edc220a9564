using System.Runtime.ExceptionServices;
using Gdm.Core;
using Gdm.Core.Sampling;

namespace Gdm.Api.Inference;

/// <summary>
/// One network over several single-threaded sessions, one per core: a batch is cut into contiguous slices and each
/// slice runs on its own session and thread at the same time. A session that spreads one operator over two threads
/// makes them exchange every node's tensors, and where the hypervisor places the two vCPUs on different L3 caches each
/// exchange costs 4 to 5 times the same-cache latency; slices share nothing until they are joined. A batch of one image
/// cannot be cut and runs on `whole`, the session with every core. Every session must compute the same function to
/// the bit (ONNX Runtime's CPU kernels split work over threads by output, not by reduction), so an image comes out the
/// same whichever path its batch took.
/// </summary>
public sealed class ShardedImageNetwork : IImageNetwork, IDisposable
{
    private readonly IImageNetwork _whole;
    private readonly IImageNetwork _first;
    private readonly ShardThread[] _others;
    private readonly Lock _running = new();
    private bool _disposed;

    /// <param name="whole">The network for batches of one.</param>
    /// <param name="shards">At least two single-threaded networks of the same shape; the first runs on the caller's thread.</param>
    public ShardedImageNetwork(IImageNetwork whole, IReadOnlyList<IImageNetwork> shards)
    {
        ArgumentNullException.ThrowIfNull(whole);
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count < 2)
            throw new ArgumentException($"sharding needs at least two shards, got {shards.Count}", nameof(shards));
        if (shards.FirstOrDefault(s => s.Shape != whole.Shape) is { } other)
            throw new ArgumentException($"a shard works on {other.Shape} images, the whole network on {whole.Shape}", nameof(shards));
        _whole = whole;
        _first = shards[0];
        _others = shards.Skip(1).Select((network, i) => new ShardThread(network, $"gdm-network-shard-{i + 1}")).ToArray();
    }

    public ImageShape Shape => _whole.Shape;

    /// <summary>How many slices a batch is cut into at most.</summary>
    public int ShardCount => _others.Length + 1;

    /// <summary>
    /// Cuts the batch into min(batch, ShardCount) slices whose sizes differ by at most one image, runs them at once and
    /// returns when all are done. Calls are serialised, and so is Dispose with them: the shards are the cores, so two
    /// calls could only take turns, and no session may be freed while it runs.
    /// </summary>
    public unsafe void Run(ReadOnlySpan<float> pixels, ReadOnlySpan<float> times, Span<float> output)
    {
        var batch = times.Length;
        var size = Shape.Size;
        if (pixels.Length != batch * size || output.Length != pixels.Length)
            throw new ArgumentException($"a batch of {batch} {Shape} images needs {batch * size} values, got {pixels.Length} in and {output.Length} out");
        var slices = Math.Min(batch, ShardCount);
        lock (_running)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (slices <= 1)
            {
                _whole.Run(pixels, times, output);
                return;
            }

            fixed (float* x = pixels, t = times, u = output)
            {
                // Slice s holds images [Start(s), Start(s + 1)): the first batch % slices slices get one image more.
                int Start(int s) => s * (batch / slices) + Math.Min(s, batch % slices);
                for (var s = 1; s < slices; s++)
                {
                    var start = Start(s);
                    _others[s - 1].Begin(x + (long)start * size, t + start, u + (long)start * size, Start(s + 1) - start, size);
                }

                Exception? failure = null;
                try
                {
                    var count = Start(1);
                    _first.Run(pixels[..(count * size)], times[..count], output[..(count * size)]);
                }
                catch (Exception e)
                {
                    failure = e;
                }

                // Every slice is joined before the spans are unpinned, whatever failed (so Join comes before the ??).
                for (var s = 1; s < slices; s++)
                {
                    var joined = _others[s - 1].Join();
                    failure ??= joined;
                }
                if (failure is not null)
                    ExceptionDispatchInfo.Throw(failure);
            }
        }
    }

    /// <summary>Waits for a call in progress, then stops the shard threads and frees every session, once.</summary>
    public void Dispose()
    {
        lock (_running)
        {
            if (_disposed)
                return;
            _disposed = true;
            foreach (var shard in _others)
                shard.Dispose();
            (_first as IDisposable)?.Dispose();
            (_whole as IDisposable)?.Dispose();
        }
    }

    /// <summary>A shard's own thread, waiting for a slice, running it, signalling that it is done.</summary>
    private sealed unsafe class ShardThread : IDisposable
    {
        private readonly IImageNetwork _network;
        private readonly Thread _thread;
        private readonly SemaphoreSlim _start = new(0);
        private readonly ManualResetEventSlim _done = new(false);
        private float* _pixels;
        private float* _times;
        private float* _output;
        private int _batch;
        private int _size;
        private Exception? _failure;
        private volatile bool _stopping;

        public ShardThread(IImageNetwork network, string name)
        {
            _network = network;
            _thread = new Thread(Loop) { IsBackground = true, Name = name };
            _thread.Start();
        }

        public void Begin(float* pixels, float* times, float* output, int batch, int size)
        {
            _pixels = pixels;
            _times = times;
            _output = output;
            _batch = batch;
            _size = size;
            _failure = null;
            _done.Reset();
            _start.Release();
        }

        /// <summary>Waits for the slice begun last; returns what it threw, if anything.</summary>
        public Exception? Join()
        {
            _done.Wait();
            return _failure;
        }

        private void Loop()
        {
            while (true)
            {
                _start.Wait();
                if (_stopping)
                    return;
                try
                {
                    var values = _batch * _size;
                    _network.Run(new ReadOnlySpan<float>(_pixels, values), new ReadOnlySpan<float>(_times, _batch), new Span<float>(_output, values));
                }
                catch (Exception e)
                {
                    _failure = e;
                }
                finally
                {
                    _done.Set();
                }
            }
        }

        public void Dispose()
        {
            _stopping = true;
            _start.Release();
            _thread.Join();
            _start.Dispose();
            _done.Dispose();
            (_network as IDisposable)?.Dispose();
        }
    }
}
