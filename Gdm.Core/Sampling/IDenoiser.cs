namespace Gdm.Core.Sampling;

/// <summary>
/// The model contract: a batch of coefficient-space states y_t (batch x d, row-major), one time per item and, per
/// item, how many groups have started in the step the evaluation belongs to (TimeGrid.StartedGroups) in,
/// u = E[eps - y | y_t] out (batch x d). Times are the grid's exact values, and only a network rounds them to float.
/// Causal-input hides the groups from startedGroups on: the step decides, not the time, because an evaluation at a
/// step's end e_{g+1} (Heun's corrector, inversion's first step of a group) still sees group g + 1 as pure noise.
/// Implementations: NetworkDenoiser (ONNX Runtime in the Api and the CLI, TorchSharp in training), and the analytic
/// Gaussian one of the tests.
/// </summary>
public interface IDenoiser
{
    ImageShape Shape { get; }

    void Predict(ReadOnlySpan<float> states, ReadOnlySpan<double> times, ReadOnlySpan<int> startedGroups, Span<float> u);
}
