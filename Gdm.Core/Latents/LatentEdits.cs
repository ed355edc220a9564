using Gdm.Core.Grouping;
using Gdm.Core.Noise;

namespace Gdm.Core.Latents;

/// <summary>Operations on explicit latents eps (coefficient space, one image). Each returns a new array.</summary>
public static class LatentEdits
{
    /// <summary>Redraws the given groups of eps with fresh noise of a seed at a strength (see NoiseRedraw).</summary>
    public static float[] Redraw(ReadOnlySpan<float> latent, CoefficientGrouping grouping, IEnumerable<int> groups, ulong seed, double strength)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        NoiseRedraw.Validate(strength);
        var result = Checked(latent, grouping).ToArray();
        var fresh = new float[result.Length];
        foreach (var g in groups.Distinct())
        {
            var group = GroupAt(grouping, g);
            LatentNoise.FillGroup(seed, group, fresh);
            Blend(result, fresh, group.Indices, strength);
        }

        return result;
    }

    /// <summary>One latent whose group g is copied from sources[sourceOfGroup[g]].</summary>
    public static float[] Compose(CoefficientGrouping grouping, IReadOnlyList<float[]> sources, IReadOnlyList<int> sourceOfGroup)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(sourceOfGroup);
        if (sourceOfGroup.Count != grouping.Count)
            throw new ArgumentException($"a source must be named for each of the {grouping.Count} groups, got {sourceOfGroup.Count}");
        var result = new float[grouping.Shape.Size];
        foreach (var group in grouping.Groups)
        {
            var s = sourceOfGroup[group.Index];
            if (s < 0 || s >= sources.Count)
                throw new ArgumentOutOfRangeException(nameof(sourceOfGroup), s, $"group {group.Index} names source {s}, but there are {sources.Count} sources");
            var source = Checked(sources[s], grouping);
            foreach (var i in group.Indices)
                result[i] = source[i];
        }

        return result;
    }

    /// <summary>Sets coordinate k of group g (its k-th coefficient in the group's order) to a value.</summary>
    public static float[] WithCoordinate(ReadOnlySpan<float> latent, CoefficientGrouping grouping, int group, int coordinate, float value)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        var result = Checked(latent, grouping).ToArray();
        var g = GroupAt(grouping, group);
        if (coordinate < 0 || coordinate >= g.Size)
            throw new ArgumentOutOfRangeException(nameof(coordinate), coordinate, $"group {group} has coordinates 0..{g.Size - 1}");
        result[g.Indices[coordinate]] = value;
        return result;
    }

    /// <summary>
    /// Groups below fromGroup from a; groups from fromGroup on on the great circle from a to b (spherical
    /// interpolation of that part of the two latents): slerp(a, b; t) = sin((1 - t) w) / sin w a + sin(t w) / sin w b,
    /// w the angle between them, which keeps the norm a Gaussian latent has where linear blending would shrink it.
    /// t = 0 gives a exactly and t = 1 gives b's part exactly; (nearly) parallel parts blend linearly.
    /// </summary>
    public static float[] Slerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, CoefficientGrouping grouping, int fromGroup, double t)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        if (!(t >= 0 && t <= 1))
            throw new ArgumentOutOfRangeException(nameof(t), t, "the interpolation parameter must be between 0 and 1");
        var result = Checked(a, grouping).ToArray();
        Checked(b, grouping);
        if (fromGroup < 0 || fromGroup >= grouping.Count)
            throw new ArgumentOutOfRangeException(nameof(fromGroup), fromGroup, $"group {fromGroup} does not exist: the model has groups 0..{grouping.Count - 1}");
        if (t == 0)
            return result;
        var indices = grouping.Groups.Skip(fromGroup).SelectMany(g => g.Indices).ToArray();
        double dot = 0, normA = 0, normB = 0;
        foreach (var i in indices)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }

        var cos = normA == 0 || normB == 0 ? 1 : Math.Clamp(dot / Math.Sqrt(normA * normB), -1, 1);
        var angle = Math.Acos(cos);
        double wa, wb;
        if (t == 1)
            (wa, wb) = (0, 1);
        else if (Math.Sin(angle) < 1e-6)
            (wa, wb) = (1 - t, t);
        else
            (wa, wb) = (Math.Sin((1 - t) * angle) / Math.Sin(angle), Math.Sin(t * angle) / Math.Sin(angle));
        // Any finite latent is a valid recipe, so the weighted sum is kept finite too: two latents near float32's
        // limit would otherwise overflow to infinity, and the frame's recipe would not read back.
        foreach (var i in indices)
            result[i] = t == 1 ? b[i] : (float)Math.Clamp(wa * a[i] + wb * b[i], -float.MaxValue, float.MaxValue);
        return result;
    }

    /// <summary>
    /// The state at t = e_g of a trajectory without overlap: the finished coefficients of groups before g, the noise
    /// of groups g and later. A prefix start begins here.
    /// </summary>
    public static float[] PrefixState(CoefficientGrouping grouping, ReadOnlySpan<float> finished, ReadOnlySpan<float> latent, int firstGroup)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        var state = Checked(latent, grouping).ToArray();
        Checked(finished, grouping);
        for (var g = 0; g < firstGroup; g++)
            foreach (var i in grouping.Groups[g].Indices)
                state[i] = finished[i];
        return state;
    }

    // eps <- cos(s pi/2) eps + sin(s pi/2) fresh on the given indices; s = 1 replaces exactly (cos(pi/2) is not 0 in floating point).
    internal static void Blend(Span<float> latent, ReadOnlySpan<float> fresh, IReadOnlyList<int> indices, double strength)
    {
        if (strength == 0)
            return;
        double keep = strength == 1 ? 0 : Math.Cos(strength * Math.PI / 2), take = strength == 1 ? 1 : Math.Sin(strength * Math.PI / 2);
        foreach (var i in indices)
            latent[i] = strength == 1 ? fresh[i] : (float)(keep * latent[i] + take * fresh[i]);
    }

    private static ReadOnlySpan<float> Checked(ReadOnlySpan<float> latent, CoefficientGrouping grouping) =>
        latent.Length == grouping.Shape.Size
            ? latent
            : throw new ArgumentException($"a latent of a {grouping.Shape} model has {grouping.Shape.Size} values, got {latent.Length}");

    private static CoefficientGroup GroupAt(CoefficientGrouping grouping, int group) =>
        group >= 0 && group < grouping.Count
            ? grouping.Groups[group]
            : throw new ArgumentOutOfRangeException(nameof(group), group, $"group {group} does not exist: the model has groups 0..{grouping.Count - 1}");
}
