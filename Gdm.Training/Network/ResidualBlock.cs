using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gdm.Training.Network;

/// <summary>
/// h = conv(silu(norm(x))) + proj(emb); h = conv(silu(norm(h))); out = skip(x) + h, with a 1x1 skip conv only when
/// the width changes. [B, in, H, W] and activated time embedding [B, E] to [B, out, H, W]. With scale-shift the
/// embedding is projected to (scale, shift) and conditions the second norm instead:
/// h = conv(silu(norm(h) (1 + scale) + shift)), so it can gate features per noise level, not only offset them.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Normalization _inputNorm;
    private readonly Conv2d _inputConv;
    private readonly Linear _timeProjection;
    private readonly Normalization _outputNorm;
    private readonly Conv2d _outputConv;
    private readonly Conv2d? _skip;

    public ResidualBlock(int inputChannels, int outputChannels, int embeddingWidth, int normGroups, bool scaleShift = false)
        : base(nameof(ResidualBlock))
    {
        ScaleShift = scaleShift;
        _inputNorm = new Normalization(normGroups, inputChannels);
        _inputConv = nn.Conv2d(inputChannels, outputChannels, 3, padding: 1);
        _timeProjection = nn.Linear(embeddingWidth, scaleShift ? 2 * outputChannels : outputChannels);
        _outputNorm = new Normalization(normGroups, outputChannels);
        _outputConv = nn.Conv2d(outputChannels, outputChannels, 3, padding: 1);
        _skip = inputChannels == outputChannels ? null : nn.Conv2d(inputChannels, outputChannels, 1);
        RegisterComponents();
    }

    /// <summary>Whether the embedding scales and shifts the second norm's output (its projection is [scale, shift]).</summary>
    public bool ScaleShift { get; }

    internal Normalization InputNorm => _inputNorm;
    internal Conv2d InputConv => _inputConv;
    internal Linear TimeProjection => _timeProjection;
    internal Normalization OutputNorm => _outputNorm;
    internal Conv2d OutputConv => _outputConv;
    internal Conv2d? Skip => _skip;

    public override Tensor forward(Tensor x, Tensor embedding)
    {
        var h = _inputConv.forward(nn.functional.silu(_inputNorm.forward(x)));
        var projection = _timeProjection.forward(embedding).unsqueeze(-1).unsqueeze(-1);
        if (ScaleShift)
        {
            var parts = projection.chunk(2, 1);
            h = _outputNorm.forward(h) * (parts[0] + 1.0) + parts[1];
        }
        else
        {
            h = _outputNorm.forward(h + projection);
        }

        h = _outputConv.forward(nn.functional.silu(h));
        var shortcut = _skip is null ? x : _skip.forward(x);
        return (shortcut + h);
    }
}
