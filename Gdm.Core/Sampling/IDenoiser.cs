namespace Gdm.Core.Sampling;

/// <summary>
/// The model contract: a batch of coefficient-space states y_t (batch x d, row-major) and one time per item in,
/// u = E[eps - y | y_t] out (batch x d). Times are the grid's exact values: the schedule's decisions at t (which
/// groups have started, for causal-input) are made on them, and only a network rounds them to float.
/// Implementations: NetworkDenoiser (ONNX Runtime in the Api and the CLI, TorchSharp in training), and the analytic
/// Gaussian one of the tests.
/// </summary>
public interface IDenoiser
{
    ImageShape Shape { get; }

    void Predict(ReadOnlySpan<float> states, ReadOnlySpan<double> times, Span<float> u);
}
