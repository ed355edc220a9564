using Gdm.Core.Latents;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Tests.Core.Sampling;

/// <summary>
/// Causal-input decides what the network sees by the step an evaluation belongs to, not by its time: Heun's corrector
/// of group g's last step is evaluated at t = s_g = e_{g+1}, and inversion's first step of group g starts there too,
/// where group g + 1 is still pure noise for the whole step. With any network (here one that mixes every pixel), the
/// earlier groups must then not depend on a later group's noise at all.
/// </summary>
public sealed class CausalVisibilityTests
{
    private readonly GaussianProblem _problem = new(causalInput: true);

    public static TheoryData<SamplerKind> Kinds() => new(Enum.GetValues<SamplerKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Generation_keeps_groups_before_g_bit_identical_when_only_group_gs_noise_changes(SamplerKind kind)
    {
        var denoiser = new NetworkDenoiser(new DenseNetwork(_problem.Process.Shape, seed: 3), _problem.Process);
        var recipe = LatentRecipe.FromSeed(21, _problem.Grouping.Count);
        var original = Generate(denoiser, kind, recipe.Realise(_problem.Grouping));
        for (var g = 1; g < _problem.Grouping.Count; g++)
        {
            var changed = Generate(denoiser, kind, recipe.Redraw([g], seed: 77, strength: 1).Realise(_problem.Grouping));
            for (var h = 0; h < g; h++)
                foreach (var i in _problem.Grouping.Groups[h].Indices)
                    Assert.True(original[i] == changed[i], $"{kind}: group {h} moved when only group {g}'s noise changed ({original[i]} vs {changed[i]})");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Inversion_gives_group_g_a_latent_that_does_not_depend_on_later_groups_data(SamplerKind kind)
    {
        var denoiser = new NetworkDenoiser(new DenseNetwork(_problem.Process.Shape, seed: 5), _problem.Process);
        var data = _problem.Latent(8);
        var original = Invert(denoiser, kind, data);
        var last = _problem.Grouping.Count - 1;
        for (var g = 1; g <= last; g++)
        {
            var changed = (float[])data.Clone();
            foreach (var h in Enumerable.Range(g, last - g + 1))
                foreach (var i in _problem.Grouping.Groups[h].Indices)
                    changed[i] += 0.5f;
            var latent = Invert(denoiser, kind, changed);
            for (var h = 0; h < g; h++)
                foreach (var i in _problem.Grouping.Groups[h].Indices)
                    Assert.True(original[i] == latent[i], $"{kind}: group {h}'s latent moved when only the data of groups {g} and later changed");
        }
    }

    private float[] Generate(IDenoiser denoiser, SamplerKind kind, float[] latent)
    {
        var trajectory = new Trajectory(latent, _problem.Grid(4));
        Integrator.Run(denoiser, Samplers.Create(kind), _problem.Grouping, [trajectory]);
        return trajectory.State;
    }

    private float[] Invert(IDenoiser denoiser, SamplerKind kind, float[] data)
    {
        var grid = TimeGrid.Inversion(_problem.Process.Schedule, TimeGrid.EqualSteps(_problem.Grouping.Count, 4));
        var trajectory = new Trajectory((float[])data.Clone(), grid);
        Integrator.Run(denoiser, Samplers.Create(kind), _problem.Grouping, [trajectory]);
        return trajectory.State;
    }
}
