using Gdm.Api.Options;
using Gdm.Core.Models;
using Gdm.Core.Sampling;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace Gdm.Api.Inference;

/// <summary>
/// Creates one ONNX Runtime session per model (0.5 to 1 s each, so once) with the configured execution provider.
/// Asking for CUDA where its libraries are missing makes the append throw; the session then runs on the CPU and one
/// log line says so and why.
/// </summary>
public sealed class OnnxNetworkLoader(IOptions<InferenceOptions> options, ILogger<OnnxNetworkLoader> logger) : INetworkLoader
{
    public IImageNetwork Load(ModelManifest manifest, string onnxPath)
    {
        var settings = options.Value;
        using var sessionOptions = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = settings.IntraOpThreads,
            InterOpNumThreads = settings.InterOpThreads,
            ExecutionMode = settings.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
        };
        if (!settings.AllowSpinning)
            SessionSpinning.TurnOff(sessionOptions);

        var provider = ChooseProvider(sessionOptions, settings, manifest.Name);
        var session = new InferenceSession(onnxPath, sessionOptions);
        try
        {
            CheckProcess(manifest, onnxPath, session.ModelMetadata.CustomMetadataMap);
            return new OnnxImageNetwork(session, manifest, onnxPath, provider);
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

    private ExecutionProviderKind ChooseProvider(Microsoft.ML.OnnxRuntime.SessionOptions sessionOptions, InferenceOptions settings, string model)
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
