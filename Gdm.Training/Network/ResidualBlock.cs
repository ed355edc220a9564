using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gdm.Training.Network;

/// <summary>
/// h = conv(silu(norm(x))) + proj(emb); h = conv(silu(norm(h))); out = skip(x) + h, with a 1x1 skip conv only when
/// the width changes. [B, in, H, W] and activated time embedding [B, E] to [B, out, H, W].
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Normalization _inputNorm;
    private readonly Conv2d _inputConv;
    private readonly Linear _timeProjection;
    private readonly Normalization _outputNorm;
    private readonly Conv2d _outputConv;
    private readonly Conv2d? _skip;

    public ResidualBlock(int inputChannels, int outputChannels, int embeddingWidth, int normGroups)
        : base(nameof(ResidualBlock))
    {
        _inputNorm = new Normalization(normGroups, inputChannels);
        _inputConv = nn.Conv2d(inputChannels, outputChannels, 3, padding: 1);
        _timeProjection = nn.Linear(embeddingWidth, outputChannels);
        _outputNorm = new Normalization(normGroups, outputChannels);
        _outputConv = nn.Conv2d(outputChannels, outputChannels, 3, padding: 1);
        _skip = inputChannels == outputChannels ? null : nn.Conv2d(inputChannels, outputChannels, 1);
        RegisterComponents();
    }

    internal Normalization InputNorm => _inputNorm;
    internal Conv2d InputConv => _inputConv;
    internal Linear TimeProjection => _timeProjection;
    internal Normalization OutputNorm => _outputNorm;
    internal Conv2d OutputConv => _outputConv;
    internal Conv2d? Skip => _skip;

    public override Tensor forward(Tensor x, Tensor embedding)
    {
        var h = _inputConv.forward(nn.functional.silu(_inputNorm.forward(x)));
        h = h + _timeProjection.forward(embedding).unsqueeze(-1).unsqueeze(-1);
        h = _outputConv.forward(nn.functional.silu(_outputNorm.forward(h)));
        var shortcut = _skip is null ? x : _skip.forward(x);
        return (shortcut + h);
    }
}
