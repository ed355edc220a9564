using Gdm.Core;
using Gdm.Core.Models;
using Gdm.Core.Sampling;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Gdm.Api.Inference;

/// <summary>
/// The exported network over one InferenceSession: pixels [B, C, H, W] and times [B] in, the pixel-space field
/// [B, C, H, W] out. The engine calls Run from its one worker; calls and Dispose are serialised, so a host that stops
/// while a step is still running frees the session only after that step.
/// </summary>
public sealed class OnnxImageNetwork : IImageNetwork, IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    public OnnxImageNetwork(InferenceSession session, ModelManifest manifest, string onnxPath, ExecutionProviderKind provider)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(manifest);
        _session = session;
        Shape = manifest.Shape;
        Provider = provider;
        var network = manifest.Network;
        _inputNames = [network.InputPixels, network.InputTimes];
        _outputNames = [network.Output];
        var file = Path.GetFileName(onnxPath);
        CheckTensor(session.InputMetadata, network.InputPixels, [Shape.Channels, Shape.Height, Shape.Width], file, "input");
        CheckTensor(session.InputMetadata, network.InputTimes, [], file, "input");
        CheckTensor(session.OutputMetadata, network.Output, [Shape.Channels, Shape.Height, Shape.Width], file, "output");
    }

    public ImageShape Shape { get; }

    public ExecutionProviderKind Provider { get; }

    /// <summary>
    /// Runs one batch with ONNX Runtime reading the caller's input spans and writing the output span in place (pinned
    /// for the call): no copy and no allocation of tensor data per call.
    /// </summary>
    public unsafe void Run(ReadOnlySpan<float> pixels, ReadOnlySpan<float> times, Span<float> output)
    {
        var batch = times.Length;
        if (pixels.Length != batch * Shape.Size || output.Length != pixels.Length)
            throw new ArgumentException($"a batch of {batch} {Shape} images needs {batch * Shape.Size} values, got {pixels.Length} in and {output.Length} out");
        if (batch == 0)
            return;

        long[] imageShape = [batch, Shape.Channels, Shape.Height, Shape.Width];
        var memory = OrtMemoryInfo.DefaultInstance;
        using var _ = _gate.EnterScope();
        ObjectDisposedException.ThrowIf(_disposed, this);
        fixed (float* x = pixels, t = times, u = output)
        {
            using var pixelTensor = OrtValue.CreateTensorValueWithData(memory, TensorElementType.Float, imageShape, (IntPtr)x, (long)pixels.Length * sizeof(float));
            using var timeTensor = OrtValue.CreateTensorValueWithData(memory, TensorElementType.Float, [batch], (IntPtr)t, (long)times.Length * sizeof(float));
            using var outputTensor = OrtValue.CreateTensorValueWithData(memory, TensorElementType.Float, imageShape, (IntPtr)u, (long)output.Length * sizeof(float));
            _session.Run(_runOptions, _inputNames, [pixelTensor, timeTensor], _outputNames, [outputTensor]);
        }
    }

    public void Dispose()
    {
        using var _ = _gate.EnterScope();
        if (_disposed)
            return;
        _disposed = true;
        _runOptions.Dispose();
        _session.Dispose();
    }

    // Every dimension after the batch must match the manifest (or be symbolic); the batch axis may be anything.
    private static void CheckTensor(IReadOnlyDictionary<string, NodeMetadata> metadata, string name, int[] itemShape, string file, string role)
    {
        if (!metadata.TryGetValue(name, out var node))
            throw new ModelRefusedException(file, $"has no {role} named '{name}' (it has {string.Join(", ", metadata.Keys)})");
        if (node.ElementDataType != TensorElementType.Float)
            throw new ModelRefusedException(file, $"{role} '{name}' holds {node.ElementDataType}, not float");
        var dimensions = node.Dimensions;
        if (dimensions.Length != itemShape.Length + 1)
            throw new ModelRefusedException(file, $"{role} '{name}' has {dimensions.Length} dimensions, expected {itemShape.Length + 1}");
        for (var i = 0; i < itemShape.Length; i++)
            if (dimensions[i + 1] > 0 && dimensions[i + 1] != itemShape[i])
                throw new ModelRefusedException(file, $"{role} '{name}' has shape [{string.Join(",", dimensions)}], the manifest says [B,{string.Join(",", itemShape)}]");
    }
}
