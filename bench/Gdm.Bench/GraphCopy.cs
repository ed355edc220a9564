using Google.Protobuf;
using Onnx;

namespace Gdm.Bench;

/// <summary>A changed copy of an exported graph for the bench to measure; the model's own file is never touched.</summary>
public static class GraphCopy
{
    /// <summary>Reads onnxPath, applies change to its graph and writes the result to outputPath; returns what change returned (how many places it changed).</summary>
    public static int Write(string onnxPath, string outputPath, Func<GraphProto, int> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        ModelProto model;
        using (var file = File.OpenRead(onnxPath))
            model = ModelProto.Parser.ParseFrom(file);
        var changed = change(model.Graph);
        using var output = File.Create(outputPath);
        model.WriteTo(output);
        return changed;
    }
}
