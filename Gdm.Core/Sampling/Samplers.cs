namespace Gdm.Core.Sampling;

public static class Samplers
{
    public static ISampler Create(SamplerKind kind) => kind switch
    {
        SamplerKind.Euler => EulerSampler.Instance,
        SamplerKind.Heun => HeunSampler.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown sampler: use euler or heun"),
    };

    /// <summary>y += dt * a_g' * slope on every coefficient, with a_g' of the step (constant within it).</summary>
    internal static void Move(Span<float> state, ReadOnlySpan<float> slope, double dt, ReadOnlySpan<double> rates, ReadOnlySpan<int> groupOf)
    {
        Span<float> factor = stackalloc float[rates.Length];
        for (var g = 0; g < rates.Length; g++)
            factor[g] = (float)(dt * rates[g]);
        for (var i = 0; i < state.Length; i++)
            state[i] += factor[groupOf[i]] * slope[i];
    }
}
