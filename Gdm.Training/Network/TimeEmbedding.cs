using Gdm.Core.Schedules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gdm.Training.Network;

/// <summary>
/// t in [0, 1] ([B]) to an activated embedding [B, 4w]: sinusoids of 1000 t at w/2 geometric frequencies
/// (Transformer / DDPM), then Linear, SiLU, Linear, SiLU. The final SiLU is shared by every residual block.
/// Given the group intervals, every group's noise level a_g(t) = clip((t - s_g) / (e_g - s_g), 0, 1) joins the
/// sinusoids: which group is active and how far it has come, as numbers, instead of something the network has to
/// read off the sinusoids.
/// </summary>
public sealed class TimeEmbedding : nn.Module<Tensor, Tensor>
{
    /// <summary>DDPM's time range: sinusoid frequencies were tuned for integer steps 0..1000.</summary>
    public const float TimeScale = 1000f;

    private readonly Linear _hidden;
    private readonly Linear _output;

    public TimeEmbedding(int sinusoidWidth, int embeddingWidth, IReadOnlyList<GroupInterval>? groupIntervals = null)
        : base(nameof(TimeEmbedding))
    {
        if (sinusoidWidth % 2 != 0)
            throw new ArgumentException($"the sinusoid width must be even, got {sinusoidWidth}");
        SinusoidWidth = sinusoidWidth;
        GroupStarts = groupIntervals?.Select(i => (float)i.Start).ToArray() ?? [];
        GroupInverseLengths = groupIntervals?.Select(i => (float)(1.0 / i.Length)).ToArray() ?? [];
        _hidden = nn.Linear(sinusoidWidth + GroupStarts.Length, embeddingWidth);
        _output = nn.Linear(embeddingWidth, embeddingWidth);
        RegisterComponents();
    }

    public int SinusoidWidth { get; }

    /// <summary>s_g of each group whose noise level is an input (empty: none is).</summary>
    public float[] GroupStarts { get; }

    /// <summary>1 / (e_g - s_g) of each group whose noise level is an input.</summary>
    public float[] GroupInverseLengths { get; }

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
        if (GroupStarts.Length > 0)
        {
            var starts = Tensors.Copy(GroupStarts, [1, GroupStarts.Length], times.device);
            var inverseLengths = Tensors.Copy(GroupInverseLengths, [1, GroupStarts.Length], times.device);
            var levels = ((times.unsqueeze(1) - starts) * inverseLengths).clamp(0.0, 1.0);
            sinusoids = cat([sinusoids, levels], 1);
        }

        var embedding = nn.functional.silu(_output.forward(nn.functional.silu(_hidden.forward(sinusoids))));
        return embedding;
    }
}
