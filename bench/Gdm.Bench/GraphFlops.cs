using Onnx;

namespace Gdm.Bench;

/// <summary>
/// Multiply-adds of one forward pass per image, counted from an ONNX graph: shapes are propagated from the inputs
/// (the batch axis set to 1) through every node, and Conv, Gemm and MatMul count their multiply-adds from their
/// shapes (Conv: output elements x input channels per group x kernel area, the taps on zero padding included; Gemm
/// and MatMul: M x N x K per matrix). Left out of the FLOPs: the bias adds of Conv and Gemm, Gemm's alpha and beta
/// scaling, and every other op (group norms, activations, softmax, resize, concat); of those other ops only the
/// output elements are reported, as a measure of the memory-bound work that FLOPs do not show.
/// </summary>
public sealed record GraphFlops(long MultiplyAdds, IReadOnlyDictionary<string, long> MultiplyAddsByOp, long UncountedElements, int Nodes)
{
    /// <summary>Floating-point operations per image: two per multiply-add.</summary>
    public double Flops => 2.0 * MultiplyAdds;

    public static GraphFlops Count(string onnxPath)
    {
        using var file = File.OpenRead(onnxPath);
        return Count(ModelProto.Parser.ParseFrom(file).Graph);
    }

    public static GraphFlops Count(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var integers = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var floats = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var tensor in graph.Initializer)
        {
            shapes[tensor.Name] = tensor.Dims.ToArray();
            if (tensor.DataType == (int)TensorProto.Types.DataType.Int64)
                integers[tensor.Name] = tensor.Int64Data.Count > 0 ? tensor.Int64Data.ToArray() : Values<long>(tensor);
            else if (tensor.DataType == (int)TensorProto.Types.DataType.Float && tensor.Dims.Aggregate(1L, (a, b) => a * b) <= 16)
                floats[tensor.Name] = tensor.FloatData.Count > 0 ? tensor.FloatData.ToArray() : Values<float>(tensor);
        }

        foreach (var input in graph.Input.Where(i => !shapes.ContainsKey(i.Name)))
            shapes[input.Name] = input.Type.TensorType.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue : 1L).ToArray();

        var byOp = new Dictionary<string, long>(StringComparer.Ordinal);
        long uncounted = 0;
        foreach (var node in graph.Node)
        {
            var outputs = Propagate(node, shapes, integers, floats);
            for (var i = 0; i < outputs.Length; i++)
                shapes[node.Output[i]] = outputs[i];
            var multiplyAdds = NodeMultiplyAdds(node, shapes);
            if (multiplyAdds > 0)
                byOp[node.OpType] = byOp.GetValueOrDefault(node.OpType) + multiplyAdds;
            else if (node.OpType is not ("Shape" or "Reshape" or "Identity" or "Unsqueeze"))
                uncounted += outputs.Sum(Elements);
        }

        return new GraphFlops(byOp.Values.Sum(), byOp, uncounted, graph.Node.Count);
    }

    private static long NodeMultiplyAdds(NodeProto node, Dictionary<string, long[]> shapes)
    {
        switch (node.OpType)
        {
            case "Conv":
            {
                var weight = shapes[node.Input[1]]; // [M, C/group, kh, kw]
                return Elements(shapes[node.Output[0]]) * weight.Skip(1).Aggregate(1L, (a, b) => a * b);
            }
            case "Gemm":
            {
                var a = shapes[node.Input[0]];
                var k = Attribute(node, "transA") == 1 ? a[0] : a[1];
                return Elements(shapes[node.Output[0]]) * k;
            }
            case "MatMul":
                return Elements(shapes[node.Output[0]]) * shapes[node.Input[0]][^1];
            default:
                return 0;
        }
    }

    private static long[][] Propagate(NodeProto node, Dictionary<string, long[]> shapes, Dictionary<string, long[]> integers, Dictionary<string, float[]> floats)
    {
        long[] In(int i) => shapes[node.Input[i]];
        switch (node.OpType)
        {
            case "Identity" or "Sigmoid" or "Sin" or "Cos" or "Sqrt" or "Softmax" or "Relu" or "Tanh" or "Exp" or "Neg" or "Erf" or "Clip" or "InstanceNormalization" or "BatchNormalization":
                return [In(0)];
            case "Add" or "Sub" or "Mul" or "Div" or "Pow":
                return [Broadcast(In(0), In(1))];
            case "Shape":
                integers[node.Output[0]] = In(0);
                return [[In(0).Length]];
            case "Unsqueeze":
            {
                var result = In(0).ToList();
                foreach (var axis in integers[node.Input[1]].Select(a => a < 0 ? a + In(0).Length + integers[node.Input[1]].Length : a).Order())
                    result.Insert((int)axis, 1);
                return [result.ToArray()];
            }
            case "Concat":
            {
                var first = In(0);
                var axis = Axis(Attribute(node, "axis"), first.Length);
                var result = first.ToArray();
                result[axis] = node.Input.Sum(i => shapes[i][axis]);
                return [result];
            }
            case "Reshape":
            {
                var input = In(0);
                var target = integers[node.Input[1]].Select((d, i) => d == 0 ? input[i] : d).ToArray();
                var known = target.Where(d => d != -1).Aggregate(1L, (a, b) => a * b);
                return [target.Select(d => d == -1 ? Elements(input) / known : d).ToArray()];
            }
            case "Transpose":
            {
                var input = In(0);
                var perm = Ints(node, "perm") ?? Enumerable.Range(0, input.Length).Reverse().Select(i => (long)i).ToArray();
                return [perm.Select(p => input[p]).ToArray()];
            }
            case "ReduceMean" or "ReduceSum":
            {
                var input = In(0);
                var axes = node.Input.Count > 1 ? integers[node.Input[1]].Select(a => Axis(a, input.Length)).ToHashSet() : Enumerable.Range(0, input.Length).ToHashSet();
                var keep = Attribute(node, "keepdims", 1) == 1;
                return [input.Select((d, i) => axes.Contains(i) ? (keep ? 1 : -1) : d).Where(d => d != -1).ToArray()];
            }
            case "Split":
            {
                var input = In(0);
                var axis = Axis(Attribute(node, "axis"), input.Length);
                var sizes = node.Input.Count > 1 ? integers[node.Input[1]] : Enumerable.Repeat(input[axis] / node.Output.Count, node.Output.Count).ToArray();
                return sizes.Select(size => input.Select((d, i) => i == axis ? size : d).ToArray()).ToArray();
            }
            case "Resize":
            {
                var input = In(0);
                var scales = floats[node.Input[2]];
                return [input.Select((d, i) => (long)Math.Floor(d * scales[i])).ToArray()];
            }
            case "Gemm":
            {
                var (a, b) = (In(0), In(1));
                var m = Attribute(node, "transA") == 1 ? a[1] : a[0];
                var n = Attribute(node, "transB") == 1 ? b[0] : b[1];
                return [[m, n]];
            }
            case "MatMul":
            {
                var (a, b) = (In(0), In(1));
                var batch = Broadcast(a[..^2], b[..^2]);
                return [[.. batch, a[^2], b[^1]]];
            }
            case "Conv":
            {
                var (x, w) = (In(0), In(1));
                var spatial = x.Length - 2;
                var pads = Ints(node, "pads") ?? new long[2 * spatial];
                var strides = Ints(node, "strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
                var dilations = Ints(node, "dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
                var output = new long[x.Length];
                output[0] = x[0];
                output[1] = w[0];
                for (var i = 0; i < spatial; i++)
                    output[2 + i] = (x[2 + i] + pads[i] + pads[spatial + i] - dilations[i] * (w[2 + i] - 1) - 1) / strides[i] + 1;
                return [output];
            }
            default:
                throw new NotSupportedException($"GraphFlops has no shape rule for ONNX op {node.OpType} (node {node.Name})");
        }
    }

    private static long[] Broadcast(long[] a, long[] b)
    {
        var length = Math.Max(a.Length, b.Length);
        var result = new long[length];
        for (var i = 0; i < length; i++)
        {
            var x = i - (length - a.Length) >= 0 ? a[i - (length - a.Length)] : 1;
            var y = i - (length - b.Length) >= 0 ? b[i - (length - b.Length)] : 1;
            result[i] = Math.Max(x, y);
        }

        return result;
    }

    private static long Elements(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    private static int Axis(long axis, int rank) => (int)(axis < 0 ? axis + rank : axis);

    private static long Attribute(NodeProto node, string name, long otherwise = 0) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.I : otherwise;

    private static long[]? Ints(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name)?.Ints.ToArray();

    private static T[] Values<T>(TensorProto tensor) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(tensor.RawData.Span).ToArray();
}
