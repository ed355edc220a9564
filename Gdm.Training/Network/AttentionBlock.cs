using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gdm.Training.Network;

/// <summary>
/// Single-head self-attention over the H*W positions, residual: x + proj(v softmax(q^T k / sqrt(C))^T).
/// Written with bmm (never matmul, which aborts the process on a shape mismatch) so every op maps to one ONNX node.
/// </summary>
public sealed class AttentionBlock : nn.Module<Tensor, Tensor>
{
    private readonly Normalization _norm;
    private readonly Conv2d _queryKeyValue;
    private readonly Conv2d _projection;

    public AttentionBlock(int channels, int normGroups)
        : base(nameof(AttentionBlock))
    {
        Channels = channels;
        _norm = new Normalization(normGroups, channels);
        _queryKeyValue = nn.Conv2d(channels, 3 * channels, 1);
        _projection = nn.Conv2d(channels, channels, 1);
        RegisterComponents();
    }

    public int Channels { get; }

    internal Normalization Norm => _norm;
    internal Conv2d QueryKeyValue => _queryKeyValue;
    internal Conv2d Projection => _projection;

    public override Tensor forward(Tensor x)
    {
        long batch = x.shape[0], height = x.shape[2], width = x.shape[3];
        var qkv = _queryKeyValue.forward(_norm.forward(x)).reshape(batch, 3 * Channels, height * width);
        var parts = qkv.split([Channels, Channels, Channels], 1);
        var (query, key, value) = (parts[0], parts[1], parts[2]);        // each [B, C, N]
        var scores = bmm(query.transpose(1, 2), key) * (1.0 / Math.Sqrt(Channels)); // [B, N, N]
        var weights = scores.softmax(-1);
        var attended = bmm(value, weights.transpose(1, 2));             // [B, C, N]
        var output = x + _projection.forward(attended.reshape(batch, Channels, height, width));
        return output;
    }
}
