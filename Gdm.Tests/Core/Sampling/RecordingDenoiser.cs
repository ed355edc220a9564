using Gdm.Core;
using Gdm.Core.Sampling;

namespace Gdm.Tests.Core.Sampling;

/// <summary>Passes every call to a denoiser and keeps the times it was asked about, in call order.</summary>
public sealed class RecordingDenoiser(IDenoiser inner) : IDenoiser
{
    public ImageShape Shape => inner.Shape;

    public List<double> Times { get; } = [];

    public List<int> StartedGroups { get; } = [];

    public void Predict(ReadOnlySpan<float> states, ReadOnlySpan<double> times, ReadOnlySpan<int> startedGroups, Span<float> u)
    {
        Times.AddRange(times.ToArray());
        StartedGroups.AddRange(startedGroups.ToArray());
        inner.Predict(states, times, startedGroups, u);
    }
}
