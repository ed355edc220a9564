using Gdm.Core;
using Gdm.Core.Sampling;

namespace Gdm.Tests.Api.Support;

/// <summary>
/// A deterministic stand-in network: each item's output depends only on its own pixels and time,
/// u[i] = 0.4 x[i] - 0.3 sin(3 t + 0.1 i), so images are independent of batch composition by construction.
/// </summary>
public sealed class AnalyticNetwork(ImageShape shape) : IImageNetwork
{
    public ImageShape Shape { get; } = shape;

    public void Run(ReadOnlySpan<float> pixels, ReadOnlySpan<float> times, Span<float> output)
    {
        var d = Shape.Size;
        for (var b = 0; b < times.Length; b++)
            for (var i = 0; i < d; i++)
                output[b * d + i] = 0.4f * pixels[b * d + i] - 0.3f * MathF.Sin(3f * times[b] + 0.1f * i);
    }
}
