using Gdm.Bench;
using Gdm.Tests.Api.Support;
using Gdm.Training.Onnx;
using static Gdm.Training.Onnx.OnnxGraphBuilder;

namespace Gdm.Tests.Bench;

/// <summary>The bench's FLOP counter against multiply-adds counted by hand on graphs small enough to count.</summary>
public sealed class GraphFlopsTests
{
    [Fact]
    public void A_padded_3x3_conv_counts_output_elements_times_input_channels_times_kernel_area_and_leaves_its_bias_out()
    {
        var graph = new OnnxGraphBuilder();
        graph.Input("x", "batch", 3, 8, 8);
        var y = graph.Node("Conv", "conv", ["x", Zeros(graph, "w", 4, 3, 3, 3), Zeros(graph, "b", 4)], Ints("pads", 1, 1, 1, 1));
        graph.Output(y, "batch", 4, 8, 8);

        var flops = Count(graph);

        // Output 4 x 8 x 8 (the batch axis counts as 1), each a sum over 3 channels x 3 x 3 taps.
        Assert.Equal(4 * 8 * 8 * 3 * 3 * 3, flops.MultiplyAdds);
        Assert.Equal(2.0 * 6912, flops.Flops);
        Assert.Equal(0, flops.UncountedElements);
    }

    [Theory]
    // Stride 2, padding 1, two groups: (9 + 2 - 3) / 2 + 1 = 5 per side; each output sums 4 / 2 channels x 3 x 3 taps.
    [InlineData(4, 6, 2, 2, 1, 1, 5, 6 * 5 * 5 * 2 * 3 * 3)]
    // Dilation 2, no padding: a 3-tap kernel spans 5 pixels, 9 - 5 + 1 = 5 per side; 1 channel x 3 x 3 taps.
    [InlineData(1, 2, 1, 1, 0, 2, 5, 2 * 5 * 5 * 1 * 3 * 3)]
    public void A_convs_output_side_follows_its_stride_padding_and_dilation_and_it_counts_only_its_groups_channels(
        int channels, int outputChannels, int groups, int stride, int padding, int dilation, int side, long multiplyAdds)
    {
        var graph = new OnnxGraphBuilder();
        graph.Input("x", "batch", channels, 9, 9);
        List<Onnx.AttributeProto> attributes = [Ints("strides", stride, stride), Ints("dilations", dilation, dilation)];
        if (groups > 1)
            attributes.Add(Int("group", groups));
        if (padding > 0)
            attributes.Add(Ints("pads", padding, padding, padding, padding));
        var y = graph.Node("Conv", "conv", ["x", Zeros(graph, "w", outputChannels, channels / groups, 3, 3)], [.. attributes]);
        graph.Output(y, "batch", outputChannels, side, side);

        Assert.Equal(multiplyAdds, Count(graph).MultiplyAdds);
    }

    [Fact]
    public void A_batched_matmul_counts_m_n_k_for_every_matrix_of_the_batch()
    {
        var graph = new OnnxGraphBuilder();
        graph.Input("x", "batch", 2, 5, 6);
        var y = graph.Node("MatMul", "matmul", ["x", Zeros(graph, "w", 6, 7)]);
        graph.Output(y, "batch", 2, 5, 7);

        // Two 5 x 6 by 6 x 7 products (the 6 x 7 matrix broadcast over the leading axes).
        Assert.Equal(2 * 5 * 7 * 6, Count(graph).MultiplyAdds);
    }

    [Fact]
    public void A_gemm_reads_m_n_and_k_through_its_transposes()
    {
        var graph = new OnnxGraphBuilder();
        graph.Input("x", "batch", 10);
        var y = graph.Node("Gemm", "dense", ["x", Zeros(graph, "w", 20, 10), Zeros(graph, "b", 20)], Int("transB", 1));
        var z = graph.Node("Gemm", "transposed", [Zeros(graph, "a", 10, 3), Zeros(graph, "v", 10, 4)], Int("transA", 1));
        graph.Output(y, "batch", 20);
        graph.Output(z, 3, 4);

        var flops = Count(graph);

        // [1 x 10] by [10 x 20] (B given as 20 x 10, transposed), and A' [3 x 10] by B [10 x 4].
        Assert.Equal(1 * 20 * 10 + 3 * 4 * 10, flops.MultiplyAdds);
        Assert.Equal(new Dictionary<string, long> { ["Gemm"] = 320 }, flops.MultiplyAddsByOp);
    }

    [Fact]
    public void Elementwise_work_after_a_conv_is_left_out_of_the_flops_and_reported_as_output_elements()
    {
        var graph = new OnnxGraphBuilder();
        graph.Input("x", "batch", 3, 8, 8);
        var conv = graph.Node("Conv", "conv", ["x", Zeros(graph, "w", 4, 3, 3, 3)], Ints("pads", 1, 1, 1, 1));
        var silu = graph.Node("Mul", "silu", [conv, graph.Node("Sigmoid", "silu", [conv])]);
        var flat = graph.Node("Reshape", "flatten", [silu, graph.Int64s("shape", 0, -1)]);
        var y = graph.Node("Gemm", "head", [flat, Zeros(graph, "w2", 256, 10)]);
        graph.Output(y, "batch", 10);

        var flops = Count(graph);

        // Conv 4*8*8 outputs x 27 taps, Gemm [1 x 256] by [256 x 10]; Sigmoid and Mul each write 256 elements,
        // the Reshape moves none.
        Assert.Equal(new Dictionary<string, long> { ["Conv"] = 6912, ["Gemm"] = 2560 }, flops.MultiplyAddsByOp);
        Assert.Equal(6912 + 2560, flops.MultiplyAdds);
        Assert.Equal(2 * 256, flops.UncountedElements);
        Assert.Equal(5, flops.Nodes);
    }

    [Fact]
    public void The_test_models_exported_u_net_has_a_shape_rule_for_every_node_and_counts_only_conv_matmul_and_gemm()
    {
        Assert.True(TestModel.IsOnnx, "Gdm.Tests/Api/TestModel holds no exported model");
        var flops = GraphFlops.Count(Path.Combine(TestModel.Folder, TestModel.Manifest.Network.OnnxFile));

        Assert.Equal(flops.MultiplyAdds, flops.MultiplyAddsByOp.Values.Sum());
        Assert.Equal(["Conv", "Gemm", "MatMul"], flops.MultiplyAddsByOp.Keys.Order());
        Assert.All(flops.MultiplyAddsByOp.Values, m => Assert.True(m > 0));
        Assert.True(flops.UncountedElements > 0);
    }

    private static GraphFlops Count(OnnxGraphBuilder graph) => GraphFlops.Count(graph.Build("test").Graph);

    private static string Zeros(OnnxGraphBuilder graph, string name, params long[] dims) =>
        graph.Floats(name, new float[dims.Aggregate(1L, (a, b) => a * b)], dims);
}
