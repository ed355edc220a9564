using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gdm.Training.Network;

internal static class Normalization
{
    /// <summary>
    /// GroupNorm with weight 1 and bias 0: TorchSharp 0.107.0 leaves both uninitialised (NaN or 1e26 seen, platform.md).
    /// </summary>
    public static GroupNorm GroupNorm(int groups, int channels)
    {
        if (channels % groups != 0)
            throw new ArgumentException($"GroupNorm with {groups} groups needs a channel count divisible by {groups}, got {channels}: change the base width or --norm-groups");
        var norm = nn.GroupNorm(groups, channels, eps: Epsilon);
        using (no_grad())
        {
            norm.weight!.fill_(1f);
            norm.bias!.fill_(0f);
        }

        return norm;
    }

    /// <summary>PyTorch's default; the exporter writes the same value into GroupNormalization.</summary>
    public const double Epsilon = 1e-5;
}
