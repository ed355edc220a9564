using Google.Protobuf;
using Onnx;

namespace Gdm.Bench;

/// <summary>
/// A copy of an exported graph in which each group norm's statistics (ReduceMean, Sub, Mul, ReduceMean, Add, Sqrt,
/// Div over the grouped tensor [B, G, C/G x H x W]) become one InstanceNormalization over that same tensor (its
/// G "channels", unit scale, zero bias, the same epsilon): the same function, one kernel instead of seven. The bench
/// measures it against the original; the original file is never touched.
/// </summary>
public static class GroupNormRewrite
{
    private static readonly string[] Statistics = [".mean/ReduceMean", ".centre/Sub", ".square/Mul", ".variance/ReduceMean", ".epsilon/Add", ".deviation/Sqrt", ".normalise/Div"];

    public static int Rewrite(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var byName = graph.Node.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var count = 0;
        foreach (var group in graph.Node.Where(n => n.OpType == "Reshape" && n.Name.EndsWith(".group/Reshape", StringComparison.Ordinal)).ToArray())
        {
            var prefix = group.Name[..^".group/Reshape".Length];
            var chain = Statistics.Select(suffix => byName.GetValueOrDefault(prefix + suffix)).ToArray();
            if (chain.Any(n => n is null))
                continue;
            var groups = initializers[group.Input[1]].RawData.Span;
            var groupCount = BitConverter.ToInt64(groups.Slice(sizeof(long), sizeof(long)));
            var epsilon = chain[4]!.Input.Select(i => initializers.GetValueOrDefault(i)).OfType<TensorProto>().Single();
            var scale = Constant(graph, prefix + ".instanceNorm.scale", groupCount, 1f);
            var bias = Constant(graph, prefix + ".instanceNorm.bias", groupCount, 0f);
            var node = new NodeProto { OpType = "InstanceNormalization", Name = prefix + ".instanceNorm/InstanceNormalization" };
            node.Input.AddRange([group.Output[0], scale, bias]);
            node.Output.Add(chain[^1]!.Output[0]);
            node.Attribute.Add(new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = BitConverter.ToSingle(epsilon.RawData.Span) });
            var at = graph.Node.IndexOf(chain[^1]!);
            graph.Node.Insert(at, node);
            foreach (var removed in chain)
                graph.Node.Remove(removed!);
            count++;
        }

        // The epsilons and axes of the removed statistics are no longer read by any node.
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var unused in graph.Initializer.Where(t => !read.Contains(t.Name)).ToArray())
            graph.Initializer.Remove(unused);
        return count;
    }

    private static string Constant(GraphProto graph, string name, long length, float value)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(length);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Enumerable.Repeat(value, (int)length).ToArray().AsSpan()));
        graph.Initializer.Add(tensor);
        return name;
    }
}
