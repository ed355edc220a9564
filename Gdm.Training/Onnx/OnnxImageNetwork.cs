using Gdm.Core;
using Gdm.Core.Models;
using Gdm.Core.Sampling;
using Microsoft.ML.OnnxRuntime;

namespace Gdm.Training.Onnx;

/// <summary>
/// Core's IImageNetwork over an exported model.onnx in ONNX Runtime (CPU): the `sample` verb and the parity
/// tests use it to prove the exported graph. The service has its own adapter with batching and options.
/// </summary>
public sealed class OnnxImageNetwork : IImageNetwork, IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _pixels, _times, _output;

    /// <param name="threads">ONNX Runtime's intra-op threads; 0: its default (one per core).</param>
    public OnnxImageNetwork(string onnxPath, ImageShape shape, string inputPixels = UNetExporter.InputPixels, string inputTimes = UNetExporter.InputTimes, string output = UNetExporter.Output,
        int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        if (!File.Exists(onnxPath))
            throw new FileNotFoundException($"{onnxPath}: ONNX model not found", onnxPath);
        Shape = shape;
        (_pixels, _times, _output) = (inputPixels, inputTimes, output);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        // No spin-waiting between kernels: the evaluator and the export check run beside training runs, where idle
        // threads that spin take the cores others need (the service measured spinning off 1.3-1.6x faster when busy).
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        if (threads > 0)
            options.IntraOpNumThreads = threads;
        _session = new InferenceSession(onnxPath, options);
    }

    public ImageShape Shape { get; }

    /// <summary>Opens MODEL_DIR/model.onnx as its manifest describes it, after checking the file's SHA-256.</summary>
    public static OnnxImageNetwork Open(string modelDirectory, ModelManifest manifest, int threads = 0)
    {
        var path = Path.Combine(modelDirectory, manifest.Network.OnnxFile);
        if (!File.Exists(path))
            throw new ManifestException("network.onnxFile", $"{path} not found");
        if (!string.Equals(ModelManifest.Sha256Of(path), manifest.Network.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ManifestException("network.sha256", $"{path} does not match the manifest's checksum");
        return new OnnxImageNetwork(path, manifest.Shape, manifest.Network.InputPixels, manifest.Network.InputTimes, manifest.Network.Output, threads);
    }

    public void Run(ReadOnlySpan<float> pixels, ReadOnlySpan<float> times, Span<float> output)
    {
        var batch = times.Length;
        if (pixels.Length != batch * Shape.Size || output.Length != pixels.Length)
            throw new ArgumentException($"a batch of {batch} needs {batch * Shape.Size} pixel and output values, got {pixels.Length} and {output.Length}");
        using var x = OrtValue.CreateTensorValueFromMemory(pixels.ToArray(), [batch, Shape.Channels, Shape.Height, Shape.Width]);
        using var t = OrtValue.CreateTensorValueFromMemory(times.ToArray(), [batch]);
        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, [_pixels, _times], [x, t], [_output]);
        results[0].GetTensorDataAsSpan<float>().CopyTo(output);
    }

    public void Dispose() => _session.Dispose();
}
