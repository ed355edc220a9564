using System.Globalization;
using Gdm.Core.Transforms;

namespace Gdm.Core.Grouping;

/// <summary>
/// A partition of the coefficient indices of one image into K groups listed in generation order.
/// Built only by the static factories, which check that the groups cover every index exactly once.
/// </summary>
public sealed class CoefficientGrouping
{
    private readonly int[] _groupOf;

    private CoefficientGrouping(GroupingKind kind, string spec, ImageShape shape, IReadOnlyList<CoefficientGroup> groups)
    {
        Kind = kind;
        Spec = spec;
        Shape = shape;
        Groups = groups;
        _groupOf = new int[shape.Size];
        Array.Fill(_groupOf, -1);
        foreach (var group in groups)
        {
            if (group.Size == 0)
                throw new ArgumentException($"group {group.Index} ({group.Name}) has no coefficients: check the {spec} edges or sizes");
            foreach (var i in group.Indices)
            {
                if (i < 0 || i >= shape.Size)
                    throw new ArgumentException($"group {group.Index} names coefficient {i}, outside 0..{shape.Size - 1}");
                if (_groupOf[i] >= 0)
                    throw new ArgumentException($"coefficient {i} is in group {_groupOf[i]} and group {group.Index}");
                _groupOf[i] = group.Index;
            }
        }

        var missing = Array.IndexOf(_groupOf, -1);
        if (missing >= 0)
            throw new ArgumentException($"coefficient {missing} is in no group of {spec}");
    }

    public GroupingKind Kind { get; }

    /// <summary>The canonical text form, e.g. "dct-bands:0,1,2,4,8,16,28"; Parse(Spec) rebuilds this grouping.</summary>
    public string Spec { get; }

    public ImageShape Shape { get; }

    public IReadOnlyList<CoefficientGroup> Groups { get; }

    public int Count => Groups.Count;

    /// <summary>The transform this grouping is meant for: DCT for frequency bands, pixels otherwise.</summary>
    public TransformKind Transform => Kind == GroupingKind.DctBands ? TransformKind.Dct : TransformKind.Identity;

    /// <summary>Generation index of the group holding coefficient i.</summary>
    public int GroupOf(int coefficient) => _groupOf[coefficient];

    public ReadOnlySpan<int> GroupOfEachCoefficient => _groupOf;

    public static CoefficientGrouping Single(ImageShape shape) =>
        new(GroupingKind.Single, "single", shape, [new CoefficientGroup(0, "all", Enumerable.Range(0, shape.Size).ToArray())]);

    /// <summary>Dyadic edges 0, 1, 2, 4, ... ending at max(H, W): band b holds max(u, v) in [edge_b, edge_b+1).</summary>
    public static IReadOnlyList<int> DyadicEdges(ImageShape shape)
    {
        var size = Math.Max(shape.Height, shape.Width);
        var edges = new List<int> { 0 };
        for (var e = 1; e < size; e *= 2)
            edges.Add(e);
        edges.Add(size);
        return edges;
    }

    public static CoefficientGrouping DctBands(ImageShape shape, IReadOnlyList<int>? edges = null)
    {
        edges ??= DyadicEdges(shape);
        var size = Math.Max(shape.Height, shape.Width);
        if (edges.Count < 2 || edges[0] != 0 || edges[^1] != size)
            throw new ArgumentException($"dct-bands edges must start at 0 and end at {size} (the image size), got {string.Join(",", edges)}");
        for (var b = 1; b < edges.Count; b++)
            if (edges[b] <= edges[b - 1])
                throw new ArgumentException($"dct-bands edges must increase, got {edges[b - 1]} then {edges[b]}");

        var members = Enumerable.Range(0, edges.Count - 1).Select(_ => new List<int>()).ToArray();
        for (var c = 0; c < shape.Channels; c++)
            for (var u = 0; u < shape.Height; u++)
                for (var v = 0; v < shape.Width; v++)
                {
                    var frequency = Math.Max(u, v);
                    var band = 0;
                    while (frequency >= edges[band + 1])
                        band++;
                    members[band].Add((c * shape.Height + u) * shape.Width + v);
                }

        var groups = members.Select((m, b) => new CoefficientGroup(b, $"band {edges[b]}-{edges[b + 1] - 1}", m)).ToArray();
        return new(GroupingKind.DctBands, "dct-bands:" + string.Join(",", edges), shape, groups);
    }

    public static CoefficientGrouping Rows(ImageShape shape, int count, RowOrder order)
    {
        if (count < 1 || count > shape.Height)
            throw new ArgumentException($"rows needs between 1 and {shape.Height} stripes (the image height), got {count}");
        var groups = new CoefficientGroup[count];
        for (var g = 0; g < count; g++)
        {
            // Stripe s covers rows [s*H/K, (s+1)*H/K); generation order picks stripes top-down or bottom-up.
            var stripe = order == RowOrder.TopDown ? g : count - 1 - g;
            int first = stripe * shape.Height / count, end = (stripe + 1) * shape.Height / count;
            var indices = new List<int>();
            for (var c = 0; c < shape.Channels; c++)
                for (var r = first; r < end; r++)
                    for (var x = 0; x < shape.Width; x++)
                        indices.Add((c * shape.Height + r) * shape.Width + x);
            groups[g] = new CoefficientGroup(g, $"rows {first}-{end - 1}", indices);
        }

        var orderName = order == RowOrder.TopDown ? "top-down" : "bottom-up";
        return new(GroupingKind.Rows, $"rows:{count}:{orderName}", shape, groups);
    }

    public static CoefficientGrouping Patches(ImageShape shape, int patchSize)
    {
        if (patchSize < 1 || shape.Height % patchSize != 0 || shape.Width % patchSize != 0)
            throw new ArgumentException($"patch size {patchSize} must divide the image size {shape.Height}x{shape.Width}");
        int across = shape.Width / patchSize, down = shape.Height / patchSize;
        var groups = new CoefficientGroup[across * down];
        for (var py = 0; py < down; py++)
            for (var px = 0; px < across; px++)
            {
                var indices = new List<int>();
                for (var c = 0; c < shape.Channels; c++)
                    for (var r = py * patchSize; r < (py + 1) * patchSize; r++)
                        for (var x = px * patchSize; x < (px + 1) * patchSize; x++)
                            indices.Add((c * shape.Height + r) * shape.Width + x);
                var g = py * across + px;
                groups[g] = new CoefficientGroup(g, $"patch ({py},{px})", indices);
            }

        return new(GroupingKind.Patches, $"patches:{patchSize}", shape, groups);
    }

    /// <summary>Parses `dct-bands[:EDGES]`, `rows:K[:bottom-up|top-down]`, `patches:SIZE` or `single`.</summary>
    public static CoefficientGrouping Parse(string spec, ImageShape shape)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Trim().Split(':');
        var name = parts[0].ToLowerInvariant();
        return name switch
        {
            "single" when parts.Length == 1 => Single(shape),
            "dct-bands" when parts.Length == 1 => DctBands(shape),
            "dct-bands" when parts.Length == 2 => DctBands(shape, ParseIntegers(parts[1], spec)),
            "rows" when parts.Length is 2 or 3 => Rows(shape, ParseInteger(parts[1], spec), ParseOrder(parts.Length == 3 ? parts[2] : "bottom-up", spec)),
            "patches" when parts.Length == 2 => Patches(shape, ParseInteger(parts[1], spec)),
            _ => throw new FormatException(
                $"grouping '{spec}' is not understood: use dct-bands[:EDGES], rows:K[:bottom-up|top-down], patches:SIZE or single"),
        };
    }

    private static RowOrder ParseOrder(string text, string spec) => text.ToLowerInvariant() switch
    {
        "top-down" => RowOrder.TopDown,
        "bottom-up" => RowOrder.BottomUp,
        _ => throw new FormatException($"grouping '{spec}': row order must be top-down or bottom-up, got '{text}'"),
    };

    private static int ParseInteger(string text, string spec) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"grouping '{spec}': '{text}' is not a whole number");

    private static int[] ParseIntegers(string text, string spec) =>
        text.Split(',').Select(t => ParseInteger(t.Trim(), spec)).ToArray();
}
