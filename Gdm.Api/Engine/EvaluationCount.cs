using Gdm.Api.Inference;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Api.Engine;

/// <summary>Network evaluations of one trajectory: the grid's steps times the sampler's evaluations per step.</summary>
public static class EvaluationCount
{
    public static int Generation(LoadedModel model, IReadOnlyList<int> stepsPerGroup, SamplerKind sampler, int firstGroup = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        return TimeGrid.Generation(model.Process.Schedule, stepsPerGroup, firstGroup).StepCount * Samplers.Create(sampler).EvaluationsPerStep;
    }

    public static int Inversion(LoadedModel model, IReadOnlyList<int> stepsPerGroup, SamplerKind sampler, int firstGroup = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        return TimeGrid.Inversion(model.Process.Schedule, stepsPerGroup, firstGroup).StepCount * Samplers.Create(sampler).EvaluationsPerStep;
    }
}
