namespace Gdm.Core.Grouping;

/// <summary>Group G_g of the partition: its generation index (0 = generated first), a name and its coefficient indices.</summary>
public sealed record CoefficientGroup(int Index, string Name, IReadOnlyList<int> Indices)
{
    public int Size => Indices.Count;
}
