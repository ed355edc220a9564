using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gdm.Training.Network;

/// <summary>
/// Group normalisation over (channels of the group, H, W) per item, then a per-channel scale and shift: exactly ONNX
/// GroupNormalization (opset 21), which the exporter writes for it. Written from primitive ops so that it is that
/// definition by construction, and because TorchSharp 0.107.0's nn.GroupNorm leaves its affine parameters
/// uninitialised (seen in TorchSharp 0.107.0).
/// </summary>
public sealed class Normalization : nn.Module<Tensor, Tensor>
{
    /// <summary>PyTorch's default; the exporter writes the same value into GroupNormalization.</summary>
    public const double Epsilon = 1e-5;

    private readonly Parameter _weight;
    private readonly Parameter _bias;

    public Normalization(int groups, int channels)
        : base(nameof(Normalization))
    {
        if (groups < 1 || channels % groups != 0)
            throw new ArgumentException($"GroupNorm with {groups} groups needs a channel count divisible by {groups}, got {channels}: change the base width or --norm-groups");
        Groups = groups;
        Channels = channels;
        _weight = new Parameter(ones(channels));
        _bias = new Parameter(zeros(channels));
        RegisterComponents();
    }

    public int Groups { get; }

    public int Channels { get; }

    internal Parameter Weight => _weight;

    internal Parameter Bias => _bias;

    public override Tensor forward(Tensor x)
    {
        long batch = x.shape[0], height = x.shape[2], width = x.shape[3];
        var grouped = x.reshape(batch, Groups, -1);
        var (variance, mean) = var_mean(grouped, [2L], unbiased: false, keepdim: true);
        var normalised = ((grouped - mean) * (variance + Epsilon).rsqrt()).reshape(batch, Channels, height, width);
        var output = normalised * _weight.reshape(1, Channels, 1, 1) + _bias.reshape(1, Channels, 1, 1);
        return output;
    }
}
