using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Api.Engine;

/// <summary>
/// One trajectory to integrate: a coefficient-space start state (noise for a full start, prefix and noise for a
/// prefix start, an image for an inversion), the grid it walks and the sampler. The engine copies State on admission.
/// </summary>
public sealed record TrajectoryStart(float[] State, TimeGrid Grid, SamplerKind Sampler)
{
    public int Evaluations => Samplers.Create(Sampler).TotalEvaluations(Grid);
}
