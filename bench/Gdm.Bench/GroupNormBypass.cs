using Onnx;

namespace Gdm.Bench;

/// <summary>
/// A copy of an exported graph with every group norm's normalisation left out: whatever reads the group norm's
/// ungrouped output (its per-channel scale and shift) reads the tensor the group norm was given instead, and the
/// nodes nobody reads any more are dropped. A wrong network, measured only as a bound: no rewrite of the group norm
/// can make the network faster than leaving it out. The original file is never touched.
/// </summary>
public static class GroupNormBypass
{
    public static int Bypass(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        // The exporter names a group norm's reshapes "<norm>.group/Reshape..." (into [B, G, -1]) and "<norm>.ungroup/Reshape..." (back).
        var groups = graph.Node.Where(n => n.OpType == "Reshape" && n.Name.Contains(".group/Reshape", StringComparison.Ordinal))
            .ToDictionary(n => n.Name[..n.Name.IndexOf(".group/Reshape", StringComparison.Ordinal)], StringComparer.Ordinal);
        var count = 0;
        foreach (var ungroup in graph.Node.Where(n => n.OpType == "Reshape" && n.Name.Contains(".ungroup/Reshape", StringComparison.Ordinal)).ToArray())
        {
            if (!groups.TryGetValue(ungroup.Name[..ungroup.Name.IndexOf(".ungroup/Reshape", StringComparison.Ordinal)], out var group))
                continue;
            foreach (var reader in graph.Node)
                for (var i = 0; i < reader.Input.Count; i++)
                    if (reader.Input[i] == ungroup.Output[0])
                        reader.Input[i] = group.Input[0];
            count++;
        }

        // Drop what no node and no graph output reads, until nothing more goes.
        while (true)
        {
            var read = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
            var dead = graph.Node.Where(n => n.Output.All(o => !read.Contains(o))).ToArray();
            if (dead.Length == 0)
                break;
            foreach (var node in dead)
                graph.Node.Remove(node);
        }

        var stillRead = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var unused in graph.Initializer.Where(t => !stillRead.Contains(t.Name)).ToArray())
            graph.Initializer.Remove(unused);
        return count;
    }
}
