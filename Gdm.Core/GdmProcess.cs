using Gdm.Core.Grouping;
using Gdm.Core.Schedules;
using Gdm.Core.Transforms;

namespace Gdm.Core;

/// <summary>
/// The whole GDM forward process: the transform T, the grouping of its coefficients, the per-group
/// schedule and whether the network input hides groups that have not started (causal-input).
/// The trainer, the exporter and every sampler take these definitions from here.
/// </summary>
public sealed class GdmProcess
{
    private readonly int[] _groupOf;

    public GdmProcess(IOrthogonalTransform transform, CoefficientGrouping grouping, GroupSchedule schedule, bool causalInput)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(grouping);
        ArgumentNullException.ThrowIfNull(schedule);
        if (transform.Shape != grouping.Shape)
            throw new ArgumentException($"the transform is for {transform.Shape} images, the grouping for {grouping.Shape}");
        if (schedule.Count != grouping.Count)
            throw new ArgumentException($"the schedule has {schedule.Count} intervals for {grouping.Count} groups");
        Transform = transform;
        Grouping = grouping;
        Schedule = schedule;
        CausalInput = causalInput;
        _groupOf = grouping.GroupOfEachCoefficient.ToArray();
    }

    public ImageShape Shape => Grouping.Shape;

    public IOrthogonalTransform Transform { get; }

    public CoefficientGrouping Grouping { get; }

    public GroupSchedule Schedule { get; }

    public bool CausalInput { get; }

    /// <summary>The usual process for a grouping: its own transform, equal intervals.</summary>
    public static GdmProcess Create(CoefficientGrouping grouping, double overlap = 0, bool causalInput = false) =>
        new(OrthogonalTransform.Create(grouping.Transform, grouping.Shape), grouping, GroupSchedule.Equal(grouping.Count, overlap), causalInput);

    /// <summary>y_t[i] = (1 - a_g(t)) y[i] + a_g(t) eps[i] for i in G_g (one image).</summary>
    public void Noise(ReadOnlySpan<float> clean, ReadOnlySpan<float> eps, double t, Span<float> noisy)
    {
        Span<double> levels = stackalloc double[Grouping.Count];
        Schedule.NoiseLevels(t, levels);
        for (var i = 0; i < noisy.Length; i++)
        {
            var a = levels[_groupOf[i]];
            noisy[i] = (float)((1.0 - a) * clean[i] + a * eps[i]);
        }
    }

    /// <summary>a_g(t) of the group of each coefficient (one image).</summary>
    public void CoefficientNoiseLevels(double t, Span<double> levels)
    {
        Span<double> perGroup = stackalloc double[Grouping.Count];
        Schedule.NoiseLevels(t, perGroup);
        for (var i = 0; i < levels.Length; i++)
            levels[i] = perGroup[_groupOf[i]];
    }

    /// <summary>The loss mask at t: 1 on coefficients of groups active at t, else 0 (one image).</summary>
    public void ActiveMask(double t, Span<float> mask)
    {
        for (var i = 0; i < mask.Length; i++)
            mask[i] = Schedule.IsActive(_groupOf[i], t) ? 1f : 0f;
    }

    /// <summary>
    /// Causal-input: zero the coefficients of every group from startedGroups on, the groups that have not started in
    /// the step being taken (TimeGrid.StartedGroups; one image, in place).
    /// </summary>
    public void HideUnstartedGroups(Span<float> state, int startedGroups)
    {
        if (!CausalInput)
            return;
        for (var i = 0; i < state.Length; i++)
            if (_groupOf[i] >= startedGroups)
                state[i] = 0f;
    }
}
