using System.Collections.Concurrent;
using Gdm.Core;
using Gdm.Core.Sampling;

namespace Gdm.Tests.Api.Support;

/// <summary>
/// Lets a test hold the batching worker between network calls: while closed, every call waits for one permit.
/// Records each call's batch times and announces each call that has begun, so tests wait on events, never on clocks.
/// </summary>
public sealed class NetworkGate
{
    private readonly SemaphoreSlim _permits = new(0);
    private readonly SemaphoreSlim _calls = new(0);
    private volatile bool _open = true;

    public ConcurrentQueue<float[]> BatchTimes { get; } = new();

    /// <summary>Holds every later call until allowed; calls announced before closing no longer count for WaitForCallAsync.</summary>
    public void Close()
    {
        _open = false;
        while (_calls.Wait(0))
        {
        }
    }

    public void Open()
    {
        _open = true;
        _permits.Release(1000);
    }

    /// <summary>Lets n waiting or future calls through.</summary>
    public void Allow(int calls = 1) => _permits.Release(calls);

    /// <summary>Completes when a network call has started (and, if closed, is waiting for a permit).</summary>
    public async Task WaitForCallAsync(CancellationToken cancellationToken = default)
    {
        if (!await _calls.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken))
            throw new TimeoutException("no network call started within 30 s");
    }

    /// <summary>
    /// Lets the held worker take one call at a time until `done` completes: a request that acts between steps
    /// (a DELETE, say) is then seen at a known point, however fast the network is.
    /// </summary>
    public async Task StepUntilAsync(Task done)
    {
        ArgumentNullException.ThrowIfNull(done);
        while (!done.IsCompleted)
        {
            Allow();
            using var stop = new CancellationTokenSource();
            var call = _calls.WaitAsync(TimeSpan.FromSeconds(30), stop.Token);
            if (await Task.WhenAny(done, call) == done)
            {
                await stop.CancelAsync();
                break;
            }

            if (!await call)
                throw new TimeoutException("neither a network call nor the awaited task within 30 s");
        }

        await done;
    }

    public IImageNetwork Wrap(IImageNetwork inner) => new GatedNetwork(inner, this);

    private void Enter(ReadOnlySpan<float> times)
    {
        BatchTimes.Enqueue(times.ToArray());
        _calls.Release();
        if (!_open && !_permits.Wait(TimeSpan.FromSeconds(30)))
            throw new TimeoutException("the test never let this network call through");
    }

    private sealed class GatedNetwork(IImageNetwork inner, NetworkGate gate) : IImageNetwork
    {
        public ImageShape Shape => inner.Shape;

        public void Run(ReadOnlySpan<float> pixels, ReadOnlySpan<float> times, Span<float> output)
        {
            gate.Enter(times);
            inner.Run(pixels, times, output);
        }
    }
}
