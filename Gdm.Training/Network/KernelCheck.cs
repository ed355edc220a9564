using TorchSharp;
using static TorchSharp.torch;

namespace Gdm.Training.Network;

/// <summary>What repeating one forward-backward pass showed about this process's CPU kernels.</summary>
/// <param name="Passes">Passes compared with the first.</param>
/// <param name="NotFinite">Passes with a NaN or infinite loss or gradient.</param>
/// <param name="Differing">Finite passes whose gradients are not bit-identical to the first pass's.</param>
/// <param name="MaxDifference">Largest absolute gradient difference from the first pass, over the finite passes.</param>
/// <param name="NativeDifference">Largest gradient difference of the first pass from libtorch's own (non-oneDNN)
/// kernels, relative to the largest gradient; float rounding alone gives about 1e-6.</param>
public sealed record KernelCheckResult(int Passes, int NotFinite, int Differing, double MaxDifference, double NativeDifference)
{
    /// <summary>Every pass was finite and bit-identical, and the kernels agree with the native ones to float rounding.</summary>
    public bool Clean => NotFinite == 0 && Differing == 0 && NativeDifference < 1e-4;
}

/// <summary>
/// Repeats one forward-backward pass of a network on one fixed batch and compares every pass with the first. On one
/// thread libtorch's CPU kernels are deterministic, so any pass that is not finite or not bit-identical is a kernel
/// fault; this is how the oneDNN instruction set the trainer allows is chosen and checked on a machine.
/// </summary>
public static class KernelCheck
{
    public static KernelCheckResult Run(nn.Module<Tensor, Tensor, Tensor> network, Tensor x, Tensor times, int passes, Action<int, KernelCheckResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        var oneDnn = OneDnn.Enabled;
        Tensor native;
        try
        {
            OneDnn.Enabled = false;
            native = Gradients(network, x, times);
        }
        finally
        {
            OneDnn.Enabled = oneDnn;
        }

        using var first = Gradients(network, x, times);
        var scale = native.abs().max().item<float>();
        var nativeDifference = (first - native).abs().max().item<float>() / Math.Max(scale, float.Epsilon);
        native.Dispose();
        var result = new KernelCheckResult(0, first.isfinite().all().item<bool>() ? 0 : 1, 0, 0, double.IsFinite(nativeDifference) ? nativeDifference : double.PositiveInfinity);
        for (var pass = 1; pass <= passes && !cancellationToken.IsCancellationRequested; pass++)
        {
            using var scope = NewDisposeScope();
            var gradients = Gradients(network, x, times);
            var finite = gradients.isfinite().all().item<bool>();
            var difference = finite ? (gradients - first).abs().max().item<float>() : 0f;
            result = result with
            {
                Passes = pass,
                NotFinite = result.NotFinite + (finite ? 0 : 1),
                Differing = result.Differing + (finite && difference > 0 ? 1 : 0),
                MaxDifference = Math.Max(result.MaxDifference, difference),
            };
            progress?.Invoke(pass, result);
        }

        return result;
    }

    /// <summary>The loss, the input's gradient and every parameter's gradient of one pass, flattened into one vector.</summary>
    private static Tensor Gradients(nn.Module<Tensor, Tensor, Tensor> network, Tensor x, Tensor times)
    {
        using var scope = NewDisposeScope();
        network.zero_grad();
        using var input = x.detach().requires_grad_(true);
        var loss = network.forward(input, times).square().mean();
        loss.backward();
        var parts = new List<Tensor> { loss.detach().reshape(1), input.grad!.flatten() };
        parts.AddRange(network.parameters().Select(p => p.grad!.flatten()));
        return cat(parts, 0).MoveToOuterDisposeScope();
    }
}
