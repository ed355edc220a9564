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
        // Causal-input hides groups on a copy; without it the transform reads the states as they are.
        ReadOnlySpan<float> visible = states;
        if (process.CausalInput)
        {
            var hidden = states.ToArray();
            for (var b = 0; b < times.Length; b++)
                process.HideUnstartedGroups(hidden.AsSpan(b * d, d), startedGroups[b]);
            visible = hidden;
        }

        var pixels = new float[states.Length];
        process.Transform.Inverse(visible, pixels);
        var networkTimes = new float[times.Length];
        for (var b = 0; b < times.Length; b++)
            networkTimes[b] = (float)times[b];
        var output = new float[states.Length];
        network.Run(pixels, networkTimes, output);
        process.Transform.Forward(output, u);
    }
}
