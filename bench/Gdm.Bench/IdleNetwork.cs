using Gdm.Core;
using Gdm.Core.Sampling;

namespace Gdm.Bench;

/// <summary>A network that answers u = 0 at once: what the sampler, transform and denoiser cost around the real one.</summary>
public sealed class IdleNetwork(ImageShape shape) : IImageNetwork
{
    public ImageShape Shape => shape;

    public void Run(ReadOnlySpan<float> pixels, ReadOnlySpan<float> times, Span<float> output) => output.Clear();
}
