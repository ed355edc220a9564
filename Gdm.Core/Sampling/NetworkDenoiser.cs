using System.Buffers;

namespace Gdm.Core.Sampling;

/// <summary>
/// u_theta(y_t, t) = T net(T^T hide(y_t), t): the pixel-space network seen from coefficient space, with groups that
/// have not started hidden when the process uses causal-input.
/// </summary>
public sealed class NetworkDenoiser(IImageNetwork network, GdmProcess process) : IDenoiser
{
    public ImageShape Shape => process.Shape;

    public void Predict(ReadOnlySpan<float> states, ReadOnlySpan<double> times, ReadOnlySpan<int> startedGroups, Span<float> u)
    {
        var d = Shape.Size;
        if (states.Length != times.Length * d || u.Length != states.Length || startedGroups.Length != times.Length)
            throw new ArgumentException($"a batch of {times.Length} needs {times.Length * d} state and output values and {times.Length} started-group counts, got {states.Length}, {u.Length} and {startedGroups.Length}");
        // The step's buffers come from the shared pool, so a batching loop allocates nothing per step; every value of
        // them is written before it is read. Causal-input hides groups on a copy; without it the transform reads the
        // states as they are.
        var pool = ArrayPool<float>.Shared;
        float[] pixels = pool.Rent(states.Length), output = pool.Rent(states.Length), networkTimes = pool.Rent(times.Length);
        float[]? hidden = process.CausalInput ? pool.Rent(states.Length) : null;
        try
        {
            ReadOnlySpan<float> visible = states;
            if (hidden is not null)
            {
                states.CopyTo(hidden);
                for (var b = 0; b < times.Length; b++)
                    process.HideUnstartedGroups(hidden.AsSpan(b * d, d), startedGroups[b]);
                visible = hidden.AsSpan(0, states.Length);
            }

            process.Transform.Inverse(visible, pixels.AsSpan(0, states.Length));
            for (var b = 0; b < times.Length; b++)
                networkTimes[b] = (float)times[b];
            network.Run(pixels.AsSpan(0, states.Length), networkTimes.AsSpan(0, times.Length), output.AsSpan(0, states.Length));
            process.Transform.Forward(output.AsSpan(0, states.Length), u);
        }
        finally
        {
            pool.Return(pixels);
            pool.Return(output);
            pool.Return(networkTimes);
            if (hidden is not null)
                pool.Return(hidden);
        }
    }
}
