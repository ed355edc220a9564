using Gdm.Api.Options;
using Microsoft.Extensions.Options;

namespace Gdm.Api.Engine;

/// <summary>
/// The final coefficients of the images made most recently, by recipe key, least recently used out first. A variation
/// of one of them takes its prefix from here instead of recomputing the source image.
/// </summary>
public sealed class RecentOutputs(IOptions<EngineOptions> options)
{
    private readonly int _capacity = options.Value.RecentOutputCapacityImages;
    private readonly Lock _lock = new();
    private readonly LinkedList<KeyValuePair<string, float[]>> _order = new();
    private readonly Dictionary<string, LinkedListNode<KeyValuePair<string, float[]>>> _byKey = [];

    public int Count
    {
        get
        {
            lock (_lock)
                return _byKey.Count;
        }
    }

    public bool Contains(string key)
    {
        lock (_lock)
            return _byKey.ContainsKey(key);
    }

    /// <summary>A copy of the stored coefficients, so callers cannot change what the next caller gets.</summary>
    public bool TryGet(string key, out float[] coefficients)
    {
        lock (_lock)
        {
            if (_byKey.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                coefficients = node.Value.Value.ToArray();
                return true;
            }
        }

        coefficients = [];
        return false;
    }

    public void Add(string key, ReadOnlySpan<float> coefficients)
    {
        if (_capacity == 0)
            return;
        var copy = coefficients.ToArray();
        lock (_lock)
        {
            if (_byKey.TryGetValue(key, out var existing))
                _order.Remove(existing);
            var node = _order.AddFirst(new KeyValuePair<string, float[]>(key, copy));
            _byKey[key] = node;
            while (_byKey.Count > _capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _byKey.Remove(last.Value.Key);
            }
        }
    }
}
