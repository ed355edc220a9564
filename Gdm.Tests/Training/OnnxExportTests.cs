using Gdm.Core;
using Gdm.Training.Network;
using Gdm.Training.Onnx;
using Gdm.Training.Training;
using static TorchSharp.torch;

namespace Gdm.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class OnnxExportTests
{
    public static TheoryData<int, int, string, int, string> GraphOptions => new()
    {
        // channels, size, channel multipliers, residual blocks, attention resolutions ("" = lowest level only)
        { 1, 16, "1,2", 1, "" },
        { 3, 16, "1,2", 1, "none" },
        { 3, 16, "1,2", 2, "16,8" },
        { 1, 28, "1,2,2", 1, "7" },
    };

    [Theory]
    [MemberData(nameof(GraphOptions))]
    public void The_exported_graph_matches_TorchSharp_within_1e_4_at_batch_1_and_7(int channels, int size, string multipliers, int blocks, string attention)
    {
        using var folder = new TinyRun();
        var shape = new ImageShape(channels, size, size);
        var options = new UNetOptions
        {
            BaseWidth = 8,
            ChannelMultipliers = multipliers.Split(',').Select(int.Parse).ToArray(),
            ResidualBlocksPerLevel = blocks,
            AttentionResolutions = attention switch { "" => null, "none" => [], _ => attention.Split(',').Select(int.Parse).ToArray() },
            NormGroups = 4,
        };
        manual_seed(7);
        using var network = new UNet(shape, options);
        AssertParity(network, folder, new Random(size * 10 + channels));
    }

    [Fact]
    public void A_network_conditioned_on_group_levels_exports_within_1e_4_and_reads_every_groups_level()
    {
        using var folder = new TinyRun();
        var shape = new ImageShape(1, 16, 16);
        var schedule = Gdm.Core.Schedules.GroupSchedule.FromLengths([1, 2, 3]);
        manual_seed(11);
        using var network = new UNet(shape, TinyRun.Network with { Conditioning = UNetOptions.GroupLevelConditioning }, schedule);
        AssertParity(network, folder, new Random(11));

        var graph = UNetExporter.Export(network).Graph;
        Assert.Contains(graph.Node, n => n.OpType == "Clip");
        Assert.Equal(graph.Node.Count, Gdm.Bench.GraphFlops.Count(graph).Nodes);
        // Lengths 1, 2, 3 in generation order tile [0, 1] from t = 1 down: [5/6, 1], [1/2, 5/6], [0, 1/2].
        float[] Constant(string name) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(graph.Initializer.Single(i => i.Name == name).RawData.Span).ToArray();
        Assert.Equal([5f / 6, 0.5f, 0f], Constant("time.groupStarts"));
        Assert.Equal([6f, 3f, 2f], Constant("time.groupInverseLengths").Select(v => MathF.Round(v, 4)));
    }

    [Fact]
    public void Group_level_conditioning_without_a_schedule_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new UNet(new ImageShape(1, 16, 16), TinyRun.Network with { Conditioning = UNetOptions.GroupLevelConditioning }));
        Assert.Contains("group schedule", error.Message, StringComparison.Ordinal);
    }

    private static void AssertParity(UNet network, TinyRun folder, Random random)
    {
        var shape = network.Shape;
        Perturb(network);
        var path = Path.Combine(folder.Folder, "model.onnx");
        UNetExporter.Save(network, path);

        using var onnx = new OnnxImageNetwork(path, shape);
        var torch = new TorchImageNetwork(network, CPU);
        foreach (var batch in new[] { 1, 7 })
        {
            var pixels = Enumerable.Range(0, batch * shape.Size).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
            var times = Enumerable.Range(0, batch).Select(_ => (float)random.NextDouble()).ToArray();
            var expected = new float[pixels.Length];
            var actual = new float[pixels.Length];
            torch.Run(pixels, times, expected);
            onnx.Run(pixels, times, actual);
            var worst = expected.Zip(actual).Max(pair => Math.Abs(pair.First - pair.Second));
            Assert.True(worst < 1e-4, $"batch {batch}: max |torch - onnx| = {worst}");
        }
    }

    [Fact]
    public void The_bench_counts_the_flops_of_every_node_the_exporter_writes_group_norms_included()
    {
        manual_seed(3);
        using var network = new UNet(new ImageShape(1, 16, 16), TinyRun.Network);
        var graph = UNetExporter.Export(network).Graph;
        var flops = Gdm.Bench.GraphFlops.Count(graph);

        Assert.Contains(graph.Node, n => n.OpType == "InstanceNormalization");
        Assert.Contains(graph.Node, n => n.OpType == "BatchNormalization");
        Assert.Equal(graph.Node.Count, flops.Nodes);
        Assert.Equal(["Conv", "Gemm", "MatMul"], flops.MultiplyAddsByOp.Keys.Order());
        Assert.True(flops.UncountedElements > 0);
    }

    // Fresh modules have GroupNorm scale 1 and shift 0; perturbing every weight makes a mismatch in any of them visible.
    private static void Perturb(UNet network)
    {
        using var noGradient = no_grad();
        foreach (var p in network.parameters())
            p.add_(randn_like(p) * 0.1);
    }
}
