using Gdm.Api.Options;
using Gdm.Core.Models;
using Gdm.Core.Sampling;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Gdm.Api.Inference;

/// <summary>
/// Creates the ONNX Runtime sessions of a model once (0.3 to 1 s each) with the configured execution provider: on the
/// CPU one session on every intra-op thread for batches of one and, unless Inference:Shards is 1, the single-threaded
/// shards that batches of two or more are cut over (no more of them than Engine:MaxBatchSize, since a shard beyond it
/// would never get an image). Asking for CUDA where its libraries are missing makes the append throw; the session
/// then runs on the CPU and one log line says so and why.
/// </summary>
public sealed class OnnxNetworkLoader(IOptions<InferenceOptions> options, IOptions<EngineOptions> engine, ILogger<OnnxNetworkLoader> logger) : INetworkLoader
{
    public IImageNetwork Load(ModelManifest manifest, string onnxPath)
    {
        var settings = options.Value;
        var (whole, provider) = LoadSession(manifest, onnxPath, settings.IntraOpThreads, isShard: false);
        var shardCount = Math.Min(settings.ShardCount, engine.Value.MaxBatchSize);
        if (provider != ExecutionProviderKind.Cpu || shardCount < 2)
            return whole;

        var shards = new List<IImageNetwork>();
        try
        {
            for (var i = 0; i < shardCount; i++)
                shards.Add(LoadSession(manifest, onnxPath, intraOpThreads: 1, isShard: true).Network);
            logger.LogInformation("Model {Model}: batches of two or more images are cut over {Shards} single-threaded sessions", manifest.Name, shards.Count);
            return new ShardedImageNetwork(whole, shards);
        }
        catch
        {
            foreach (var shard in shards)
                ((IDisposable)shard).Dispose();
            whole.Dispose();
            throw;
        }
    }

    // The provider is chosen, and the graph checked against its manifest, once for the whole session; shards run on the CPU.
    private (OnnxImageNetwork Network, ExecutionProviderKind Provider) LoadSession(ModelManifest manifest, string onnxPath, int intraOpThreads, bool isShard)
    {
        var settings = options.Value;
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = intraOpThreads,
            // A shard is one thread in all: an inter-op pool of its own per shard would oversubscribe the cores.
            InterOpNumThreads = isShard ? 1 : settings.InterOpThreads,
            ExecutionMode = !isShard && settings.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
        };
        if (!settings.AllowSpinning)
            SessionSpinning.TurnOff(sessionOptions);

        var provider = isShard ? ExecutionProviderKind.Cpu : ChooseProvider(sessionOptions, settings, manifest.Name);
        var session = new InferenceSession(onnxPath, sessionOptions);
        try
        {
            if (!isShard)
                CheckProcess(manifest, onnxPath, session.ModelMetadata.CustomMetadataMap);
            return (new OnnxImageNetwork(session, manifest, onnxPath, provider), provider);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    // The graph's own record of its process (ProcessDefinition) against the manifest: a disagreement refuses the model.
    private void CheckProcess(ModelManifest manifest, string onnxPath, IReadOnlyDictionary<string, string> metadata)
    {
        if (!ProcessDefinition.IsPresent(metadata))
        {
            logger.LogWarning(
                "Model {Model}: {OnnxFile} carries no process definition in its metadata (exported before graphs did); its manifest is trusted as it stands",
                manifest.Name, onnxPath);
            return;
        }

        var mismatches = ProcessDefinition.Mismatches(manifest, metadata);
        if (mismatches.Count > 0)
            throw new ModelRefusedException(onnxPath, "the graph was trained for another process than its manifest describes: " +
                string.Join("; ", mismatches.Select(m => $"{m.Field} is {m.Graph} in the graph, {m.Manifest} in the manifest")));
    }

    private ExecutionProviderKind ChooseProvider(SessionOptions sessionOptions, InferenceOptions settings, string model)
    {
        if (settings.ExecutionProvider == ExecutionProviderKind.Cpu)
        {
            logger.LogInformation("Model {Model} runs on {ExecutionProvider}: {Reason}", model, ExecutionProviderKind.Cpu, "configured");
            return ExecutionProviderKind.Cpu;
        }

        try
        {
            sessionOptions.AppendExecutionProvider_CUDA(settings.CudaDeviceId);
            logger.LogInformation("Model {Model} runs on {ExecutionProvider}: {Reason}", model, ExecutionProviderKind.Cuda, $"configured, device {settings.CudaDeviceId}");
            return ExecutionProviderKind.Cuda;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            logger.LogWarning("Model {Model} runs on {ExecutionProvider}: {Reason}", model, ExecutionProviderKind.Cpu, $"CUDA was asked for but is not usable here ({e.Message.Trim()})");
            return ExecutionProviderKind.Cpu;
        }
    }
}
