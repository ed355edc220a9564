using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace Gdm.Training.Onnx;

/// <summary>
/// Collects ONNX nodes and initializers for one graph (opset 21, IR 10). Node outputs get unique names from the
/// node's label; initializers keep the module path as their name. The protobuf types are proto3, so scalar
/// attributes equal to 0 would not be written: the exporter never needs one.
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const int OpsetVersion = 21;
    public const long IrVersion = 10;

    private readonly GraphProto _graph = new() { Name = "gdm-unet" };
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _filled = new(StringComparer.Ordinal);

    public void Input(string name, params object[] dims) => _graph.Input.Add(ValueInfo(name, dims));

    public void Output(string name, params object[] dims) => _graph.Output.Add(ValueInfo(name, dims));

    /// <summary>Each weight initializer's name and the module tensor it was copied from.</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => _weights;

    /// <summary>A float initializer holding a module's weight (copied to the CPU, contiguous), with the weight's own
    /// shape or the given dims (same element order).</summary>
    public string Weight(string name, Tensor weight, long[]? dims = null)
    {
        using var values = weight.detach().cpu().to_type(ScalarType.Float32).contiguous();
        var initializer = Floats(name, values.data<float>().ToArray(), dims ?? values.shape);
        _weights.Add(initializer, weight);
        return initializer;
    }

    public string Floats(string name, float[] values, long[] dims)
    {
        var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A float constant of the given dims with every element equal to value (a scalar without dims). Written
    /// once and shared by every node that asks for the same value and dims.</summary>
    public string Filled(float value, params long[] dims)
    {
        var key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"filled.{value:R}.{string.Join('x', dims)}");
        if (_filled.TryGetValue(key, out var name))
            return name;
        var count = dims.Aggregate(1L, (a, b) => a * b);
        name = Floats(key, Enumerable.Repeat(value, checked((int)count)).ToArray(), dims);
        _filled.Add(key, name);
        return name;
    }

    public string Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, string label, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        NodeWithOutputs(opType, label, inputs, 1, attributes)[0];

    public string[] NodeWithOutputs(string opType, string label, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Unique(label + "/" + opType) };
        node.Input.AddRange(inputs);
        for (var i = 0; i < outputs; i++)
            node.Output.Add(Unique(node.Name + (outputs == 1 ? "" : ":" + i)));
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return node.Output.ToArray();
    }

    /// <summary>Renames the value `from` to the graph output `to` with an Identity node.</summary>
    public void Alias(string from, string to)
    {
        var node = new NodeProto { OpType = "Identity", Name = Unique("output/Identity") };
        node.Input.Add(from);
        node.Output.Add(to);
        _names.Add(to);
        _graph.Node.Add(node);
    }

    public ModelProto Build(string producer)
    {
        var model = new ModelProto { IrVersion = IrVersion, ProducerName = producer, Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        return model;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private string Unique(string name)
    {
        var candidate = name;
        for (var i = 1; !_names.Add(candidate); i++)
            candidate = $"{name}_{i}";
        return candidate;
    }

    /// <summary>A float tensor value; a string dimension is symbolic (the batch axis), an int one fixed.</summary>
    private ValueInfoProto ValueInfo(string name, object[] dims)
    {
        _names.Add(name);
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim is string symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture) });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
