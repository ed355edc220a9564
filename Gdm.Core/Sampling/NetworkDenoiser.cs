namespace Gdm.Core.Sampling;

/// <summary>
/// u_theta(y_t, t) = T net(T^T hide(y_t), t): the pixel-space network seen from coefficient space, with groups that
/// have not started hidden when the process uses causal-input.
/// </summary>
public sealed class NetworkDenoiser(IImageNetwork network, GdmProcess process) : IDenoiser
{
    public ImageShape Shape => process.Shape;

    public void Predict(ReadOnlySpan<float> states, ReadOnlySpan<float> times, Span<float> u)
    {
        var d = Shape.Size;
        if (states.Length != times.Length * d || u.Length != states.Length)
            throw new ArgumentException($"a batch of {times.Length} needs {times.Length * d} state and output values, got {states.Length} and {u.Length}");
        var pixels = new float[states.Length];
        var input = pixels.AsSpan();
        states.CopyTo(input);
        for (var b = 0; b < times.Length; b++)
            process.HideUnstartedGroups(input.Slice(b * d, d), times[b]);
        var hidden = input.ToArray();
        process.Transform.Inverse(hidden, input);
        var output = new float[states.Length];
        network.Run(input, times, output);
        process.Transform.Forward(output, u);
    }
}
