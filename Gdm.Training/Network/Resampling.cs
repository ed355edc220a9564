using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gdm.Training.Network;

/// <summary>Halves the resolution with a 3x3 convolution of stride 2.</summary>
public sealed class Downsample : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv;

    public Downsample(int channels)
        : base(nameof(Downsample))
    {
        _conv = nn.Conv2d(channels, channels, 3, stride: 2, padding: 1);
        RegisterComponents();
    }

    internal Conv2d Conv => _conv;

    public override Tensor forward(Tensor x) => _conv.forward(x);
}

/// <summary>Doubles the resolution: nearest-neighbour repeat (ONNX Resize, nearest, asymmetric) then a 3x3 convolution.</summary>
public sealed class Upsample : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv;

    public Upsample(int channels)
        : base(nameof(Upsample))
    {
        _conv = nn.Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    internal Conv2d Conv => _conv;

    public override Tensor forward(Tensor x)
    {
        // Each pixel repeated 2x2 by broadcasting: nearest-neighbour doubling, what ONNX Resize (nearest) computes.
        long batch = x.shape[0], channels = x.shape[1], height = x.shape[2], width = x.shape[3];
        var doubled = x.reshape(batch, channels, height, 1, width, 1)
            .expand(batch, channels, height, 2, width, 2)
            .reshape(batch, channels, 2 * height, 2 * width);
        return _conv.forward(doubled);
    }
}
