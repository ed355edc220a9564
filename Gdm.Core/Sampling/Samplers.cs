using Gdm.Core.Schedules;

namespace Gdm.Core.Sampling;

public static class Samplers
{
    public static ISampler Create(SamplerKind kind) => kind switch
    {
        SamplerKind.Euler => EulerSampler.Instance,
        SamplerKind.Heun => HeunSampler.Instance,
        SamplerKind.HeunEulerLast => HeunSampler.EulerLast,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown sampler: use euler, heun or heun-euler-last"),
    };

    /// <summary>The canonical text form of a sampler: euler, heun, heun-euler-last.</summary>
    public static string Name(SamplerKind kind) => kind switch
    {
        SamplerKind.Euler => "euler",
        SamplerKind.Heun => "heun",
        SamplerKind.HeunEulerLast => "heun-euler-last",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown sampler"),
    };

    public static SamplerKind Parse(string name)
    {
        foreach (var kind in Enum.GetValues<SamplerKind>())
            if (Name(kind) == name)
                return kind;
        throw new FormatException($"unknown sampler '{name}': use {string.Join(", ", Enum.GetValues<SamplerKind>().Select(Name))}");
    }

    /// <summary>Network evaluations a sampler needs from step fromStep of a grid to its end.</summary>
    public static int TotalEvaluations(this ISampler sampler, TimeGrid grid, int fromStep = 0)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(grid);
        var total = 0;
        for (var s = fromStep; s < grid.StepCount; s++)
            total += sampler.Evaluations(grid, s);
        return total;
    }

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
