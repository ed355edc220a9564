using Gdm.Api.Inference;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Api.Engine;

/// <summary>Network evaluations of one trajectory: the sampler's evaluations summed over the grid's steps (Heun with an Euler last step takes one fewer per group).</summary>
public static class EvaluationCount
{
    public static int Generation(LoadedModel model, IReadOnlyList<int> stepsPerGroup, SamplerKind sampler, int firstGroup = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Samplers.Create(sampler).TotalEvaluations(TimeGrid.Generation(model.Process.Schedule, stepsPerGroup, firstGroup));
    }

    public static int Inversion(LoadedModel model, IReadOnlyList<int> stepsPerGroup, SamplerKind sampler, int firstGroup = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Samplers.Create(sampler).TotalEvaluations(TimeGrid.Inversion(model.Process.Schedule, stepsPerGroup, firstGroup));
    }
}
