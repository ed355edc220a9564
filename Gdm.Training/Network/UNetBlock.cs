using TorchSharp;
using static TorchSharp.torch;

namespace Gdm.Training.Network;

/// <summary>One step of a U-Net path: a residual block, then self-attention where the level asks for it.</summary>
public sealed class UNetBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ResidualBlock _residual;
    private readonly AttentionBlock? _attention;

    public UNetBlock(int inputChannels, int outputChannels, int embeddingWidth, int normGroups, bool attention, bool scaleShift)
        : base(nameof(UNetBlock))
    {
        _residual = new ResidualBlock(inputChannels, outputChannels, embeddingWidth, normGroups, scaleShift);
        _attention = attention ? new AttentionBlock(outputChannels, normGroups) : null;
        RegisterComponents();
    }

    internal ResidualBlock Residual => _residual;

    internal AttentionBlock? Attention => _attention;

    public override Tensor forward(Tensor x, Tensor embedding)
    {
        if (_attention is null)
            return _residual.forward(x, embedding);
        var h = _residual.forward(x, embedding);
        return _attention.forward(h);
    }
}
