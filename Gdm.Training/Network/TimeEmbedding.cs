using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gdm.Training.Network;

/// <summary>
/// t in [0, 1] ([B]) to an activated embedding [B, 4w]: sinusoids of 1000 t at w/2 geometric frequencies
/// (Transformer / DDPM), then Linear, SiLU, Linear, SiLU. The final SiLU is shared by every residual block.
/// </summary>
public sealed class TimeEmbedding : nn.Module<Tensor, Tensor>
{
    /// <summary>DDPM's time range: sinusoid frequencies were tuned for integer steps 0..1000.</summary>
    public const float TimeScale = 1000f;

    private readonly Linear _hidden;
    private readonly Linear _output;

    public TimeEmbedding(int sinusoidWidth, int embeddingWidth)
        : base(nameof(TimeEmbedding))
    {
        if (sinusoidWidth % 2 != 0)
            throw new ArgumentException($"the sinusoid width must be even, got {sinusoidWidth}");
        SinusoidWidth = sinusoidWidth;
        _hidden = nn.Linear(sinusoidWidth, embeddingWidth);
        _output = nn.Linear(embeddingWidth, embeddingWidth);
        RegisterComponents();
    }

    public int SinusoidWidth { get; }

    internal Linear Hidden => _hidden;

    internal Linear Output => _output;

    /// <summary>1000 * 10000^(-i / half) for i in 0..half-1: the factor each time is multiplied by.</summary>
    public float[] Frequencies()
    {
        var half = SinusoidWidth / 2;
        return Enumerable.Range(0, half).Select(i => TimeScale * (float)Math.Exp(-Math.Log(10000.0) * i / half)).ToArray();
    }

    public override Tensor forward(Tensor times)
    {
        var half = SinusoidWidth / 2;
        var frequencies = Tensors.Copy(Frequencies(), [half], times.device);
        var phases = times.unsqueeze(1) * frequencies.unsqueeze(0);
        var sinusoids = cat([phases.sin(), phases.cos()], 1);
        var embedding = nn.functional.silu(_output.forward(nn.functional.silu(_hidden.forward(sinusoids))));
        return embedding;
    }
}
