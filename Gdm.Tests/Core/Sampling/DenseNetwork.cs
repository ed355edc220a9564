using Gdm.Core;
using Gdm.Core.Sampling;

namespace Gdm.Tests.Core.Sampling;

/// <summary>
/// A fixed random network whose every output reads every input pixel: out = tanh(W x + t c), W and c drawn once from
/// a seed. Unlike the analytic Gaussian denoiser (which ignores pure-noise groups by itself), it shows at once any
/// pixel that causal-input should have hidden.
/// </summary>
public sealed class DenseNetwork : IImageNetwork
{
    private readonly float[,] _weights;
    private readonly float[] _timeWeights;

    public DenseNetwork(ImageShape shape, int seed)
    {
        Shape = shape;
        var random = new Random(seed);
        var d = shape.Size;
        _weights = new float[d, d];
        _timeWeights = new float[d];
        for (var i = 0; i < d; i++)
        {
            _timeWeights[i] = (float)(random.NextDouble() - 0.5);
            for (var j = 0; j < d; j++)
                _weights[i, j] = (float)((random.NextDouble() - 0.5) / Math.Sqrt(d));
        }
    }

    public ImageShape Shape { get; }

    public void Run(ReadOnlySpan<float> pixels, ReadOnlySpan<float> times, Span<float> output)
    {
        var d = Shape.Size;
        for (var b = 0; b < times.Length; b++)
            for (var i = 0; i < d; i++)
            {
                var sum = times[b] * _timeWeights[i];
                for (var j = 0; j < d; j++)
                    sum += _weights[i, j] * pixels[b * d + j];
                output[b * d + i] = MathF.Tanh(sum);
            }
    }
}
