using System.ComponentModel.DataAnnotations;
using Gdm.Api.Inference;

namespace Gdm.Api.Options;

/// <summary>How ONNX Runtime runs the networks.</summary>
public sealed class InferenceOptions
{
    public const string Section = "Inference";

    /// <summary>Cuda is tried first when asked for; without a usable CUDA runtime the service falls back to Cpu.</summary>
    public ExecutionProviderKind ExecutionProvider { get; set; } = ExecutionProviderKind.Cpu;

    [Range(0, 1024)]
    public int CudaDeviceId { get; set; }

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime use every core.</summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }

    /// <summary>Threads across independent operators; 0 lets ONNX Runtime decide (it runs sequentially by default).</summary>
    [Range(0, 1024)]
    public int InterOpThreads { get; set; }

    /// <summary>
    /// Whether ONNX Runtime's idle worker threads spin waiting for work (its default). Spinning shaves latency off
    /// each call but takes cores from request handling when cores are few.
    /// </summary>
    public bool AllowSpinning { get; set; } = true;
}
