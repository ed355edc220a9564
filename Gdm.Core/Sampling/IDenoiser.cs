namespace Gdm.Core.Sampling;

/// <summary>
/// The model contract: a batch of coefficient-space states y_t (batch x d, row-major) and one time per item in,
/// u = E[eps - y | y_t] out (batch x d). Implementations: the analytic Gaussian one (tests), ONNX Runtime (Api),
/// TorchSharp (Training).
/// </summary>
public interface IDenoiser
{
    ImageShape Shape { get; }

    void Predict(ReadOnlySpan<float> states, ReadOnlySpan<float> times, Span<float> u);
}
