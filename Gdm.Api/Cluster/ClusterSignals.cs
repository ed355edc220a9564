using System.Collections.Concurrent;
using Gdm.Api.Engine;
using StackExchange.Redis;

namespace Gdm.Api.Cluster;

/// <summary>
/// This replica's subscriptions to the cluster's channels (one Redis subscription each, fanned out in process):
/// a job's events moved (followers of that job wake), new or handed-back work (the worker looks for jobs), and a DELETE
/// for a job (its owner cancels it). A missed message only delays a reader until its next look, never loses state.
/// </summary>
public sealed class ClusterSignals
{
    private readonly ConcurrentDictionary<string, Watched> _watched = new(StringComparer.Ordinal);

    public ChangeSignal Work { get; } = new();

    /// <summary>Raised on the subscription's thread with the id of a job a DELETE asks to stop.</summary>
    public event Action<string>? CancelRequested;

    public async Task SubscribeAsync(IConnectionMultiplexer redis, ClusterKeys keys)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keys);
        var subscriber = redis.GetSubscriber();
        await subscriber.SubscribeAsync(keys.Changed, (_, id) => Changed(id.ToString()));
        await subscriber.SubscribeAsync(keys.Work, (_, _) => Work.Pulse());
        await subscriber.SubscribeAsync(keys.Cancel, (_, id) => CancelRequested?.Invoke(id.ToString()));
    }

    /// <summary>The signal that pulses when the job's events move, held until the returned lease is disposed.</summary>
    public Watch WatchJob(string id)
    {
        var watched = _watched.AddOrUpdate(id, _ => new Watched(), (_, w) => w.Add());
        return new Watch(this, id, watched);
    }

    private void Changed(string id)
    {
        if (_watched.TryGetValue(id, out var watched))
            watched.Signal.Pulse();
    }

    private void Release(string id, Watched watched)
    {
        if (watched.Remove() == 0)
            _watched.TryRemove(KeyValuePair.Create(id, watched));
    }

    public sealed class Watch(ClusterSignals owner, string id, ClusterSignals.Watched watched) : IDisposable
    {
        public ChangeSignal Signal => watched.Signal;

        public void Dispose() => owner.Release(id, watched);
    }

    public sealed class Watched
    {
        private int _count = 1;

        public ChangeSignal Signal { get; } = new();

        internal Watched Add()
        {
            Interlocked.Increment(ref _count);
            return this;
        }

        internal int Remove() => Interlocked.Decrement(ref _count);
    }
}
