using Gdm.Core;
using Gdm.Core.Sampling;
using Gdm.Training.Network;
using static TorchSharp.torch;

namespace Gdm.Training.Training;

/// <summary>Core's IImageNetwork over a TorchSharp U-Net (no gradients): sample grids during training, parity tests.</summary>
public sealed class TorchImageNetwork(UNet network, Device device) : IImageNetwork
{
    public ImageShape Shape => network.Shape;

    public void Run(ReadOnlySpan<float> pixels, ReadOnlySpan<float> times, Span<float> output)
    {
        var batch = times.Length;
        if (pixels.Length != batch * Shape.Size || output.Length != pixels.Length)
            throw new ArgumentException($"a batch of {batch} needs {batch * Shape.Size} pixel and output values, got {pixels.Length} and {output.Length}");
        using var scope = NewDisposeScope();
        using var noGradient = no_grad();
        var x = Tensors.Copy(pixels, [batch, Shape.Channels, Shape.Height, Shape.Width], device);
        var t = Tensors.Copy(times, [batch], device);
        var result = network.forward(x, t).cpu();
        result.data<float>().CopyTo(output);
    }
}
