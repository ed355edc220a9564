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
    /// Whether ONNX Runtime's idle worker threads spin waiting for work (ONNX Runtime's own default). Off here: a
    /// spinning thread holds a core that request handling, the sampler step and any other process need, and on the
    /// 2-core reference machine, shared, the network alone ran 1.3 to 1.6 times faster without it (gdm-bench
    /// --parts sessions, two runs). Turn it on for a machine whose cores are the network's alone.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary>
    /// Single-threaded sessions a batch of two or more images is cut over, each slice on its own thread (a batch of one
    /// runs on the session with IntraOpThreads); 0 makes one per intra-op thread, 1 keeps the one session, and the
    /// loader never makes more than Engine:MaxBatchSize. On the 2-core reference machine two shards ran a batch of 16
    /// at 1.19 times the 2-thread session's speed while both vCPUs sat on one L3 cache and 1.42 times across two
    /// (1.44-1.99 times across two on a Zen 5 host). CPU only: a CUDA session is never sharded.
    /// </summary>
    [Range(0, 1024)]
    public int Shards { get; set; }

    /// <summary>Intra-op threads resolved: 0 means every core of this machine.</summary>
    public int IntraOpThreadCount => IntraOpThreads == 0 ? Environment.ProcessorCount : IntraOpThreads;

    /// <summary>Shards resolved: 0 means one per intra-op thread, so the shards use the cores the one session would.</summary>
    public int ShardCount => Shards == 0 ? IntraOpThreadCount : Shards;
}
