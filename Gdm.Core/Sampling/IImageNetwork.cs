namespace Gdm.Core.Sampling;

/// <summary>
/// A network that works on images: pixels T^T y_t (batch x C x H x W) and times in, the pixel-space field whose
/// transform T is u out. ONNX Runtime and TorchSharp implement this; NetworkDenoiser turns it into an IDenoiser.
/// </summary>
public interface IImageNetwork
{
    ImageShape Shape { get; }

    void Run(ReadOnlySpan<float> pixels, ReadOnlySpan<float> times, Span<float> output);
}
