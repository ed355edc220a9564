using System.Runtime.InteropServices;
using Gdm.Core.Models;
using Gdm.Training.Network;
using Gdm.Training.Onnx;
using Onnx;
using static TorchSharp.torch;

namespace Gdm.Training.Training;

/// <summary>
/// Starts a network from the weights of an exported model (train --init-from MODEL_DIR): every parameter is read
/// back from the ONNX initializer the exporter wrote it to, so a model whose run folder is gone can still be trained
/// further. The model's network must have this run's architecture: a missing initializer or a different element
/// count is refused with the parameter's name. Only the weights carry over (the exported ones are the EMA's);
/// AdamW's moments start at zero, which the learning-rate warm-up is there for.
/// </summary>
public static class InitialWeights
{
    /// <summary>The model folder's manifest.</summary>
    public static ModelManifest Manifest(string modelFolder)
    {
        var manifestPath = Path.Combine(modelFolder, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new RunException(manifestPath, "not found: --init-from takes a model folder written by export (manifest.json and the ONNX graph)");
        return ModelManifest.Read(manifestPath);
    }

    /// <summary>The ONNX graph of the model folder (its manifest names the file).</summary>
    public static string OnnxPath(string modelFolder) => Path.Combine(modelFolder, Manifest(modelFolder).Network.OnnxFile);

    /// <summary>Copies the model folder's weights into the network's parameters.</summary>
    public static void Load(UNet network, string modelFolder)
    {
        ArgumentNullException.ThrowIfNull(network);
        var onnxPath = OnnxPath(modelFolder);
        ModelProto model;
        using (var file = File.OpenRead(onnxPath))
            model = ModelProto.Parser.ParseFrom(file);
        var initializers = model.Graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var sources = UNetExporter.WeightSources(network);
        var covered = sources.Values.Sum(p => p.numel());
        if (covered != network.ParameterCount)
            throw new InvalidOperationException($"the exporter writes {covered} of the network's {network.ParameterCount} parameters");

        using var noGradient = no_grad();
        foreach (var (name, parameter) in sources)
        {
            if (!initializers.TryGetValue(name, out var initializer))
                throw new RunException(onnxPath, $"has no weight '{name}': the model was trained with another --width, --mults, --res-blocks, --attention, --norm-groups or --conditioning");
            var values = Floats(initializer, onnxPath);
            if (values.Length != parameter.numel())
                throw new RunException(onnxPath, $"weight '{name}' holds {values.Length} values, this run's network needs {parameter.numel()}: the model was trained with another architecture");
            using var loaded = tensor(values).reshape(parameter.shape);
            parameter.copy_(loaded);
        }
    }

    private static float[] Floats(TensorProto initializer, string onnxPath)
    {
        if (initializer.DataType != (int)TensorProto.Types.DataType.Float)
            throw new RunException(onnxPath, $"weight '{initializer.Name}' is not float32");
        return initializer.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(initializer.RawData.Span).ToArray()
            : initializer.FloatData.ToArray();
    }
}
