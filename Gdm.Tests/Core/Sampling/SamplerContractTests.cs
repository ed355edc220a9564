using Gdm.Core.Latents;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Tests.Core.Sampling;

/// <summary>Properties every sampler must have, run once per sampler by the derived classes.</summary>
public abstract class SamplerContractTests
{
    protected abstract SamplerKind Kind { get; }

    protected abstract double ToleranceAt16Steps { get; }

    private readonly GaussianProblem _problem = new();

    [Fact]
    public void Carries_standard_noise_to_the_target_mean_and_covariance()
    {
        var (mean, covariance) = _problem.ExactOutputLaw(Kind, 16);
        Assert.InRange(_problem.LawError(mean, covariance), 0, ToleranceAt16Steps);
    }

    [Fact]
    public void Law_error_falls_as_steps_grow_at_the_samplers_order()
    {
        var steps = new[] { 2, 4, 8, 16, 32 };
        var errors = steps.Select(n =>
        {
            var law = _problem.ExactOutputLaw(Kind, n);
            return _problem.LawError(law.Mean, law.Covariance);
        }).ToArray();
        for (var i = 1; i < errors.Length; i++)
            Assert.True(errors[i] < errors[i - 1], $"error with {steps[i]} steps ({errors[i]:g3}) is not below {steps[i - 1]} steps ({errors[i - 1]:g3})");

        // Four times the steps divide the error by 4^order (measured from 8 to 32 steps: Euler 0.92, Heun 2.14).
        var observedOrder = Math.Log2(errors[2] / errors[4]) / 2;
        Assert.InRange(observedOrder, Order - 0.3, Order + 0.3);
    }

    protected abstract double Order { get; }

    [Fact]
    public void Sampled_moments_of_Philox_noise_match_the_samplers_exact_output_law()
    {
        const int count = 3000;
        var starts = Enumerable.Range(0, count).Select(i => _problem.Latent((ulong)i + 1000)).ToArray();
        var samples = _problem.Generate(Kind, 8, starts);
        var d = _problem.Dimension;
        var mean = new double[d];
        foreach (var s in samples)
            for (var i = 0; i < d; i++)
                mean[i] += s[i] / (double)count;
        var covariance = new double[d, d];
        foreach (var s in samples)
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++)
                    covariance[i, j] += (s[i] - mean[i]) * (s[j] - mean[j]) / (count - 1);

        // Monte Carlo error of 3,000 samples: about sqrt(2/3000) * 1.5 = 0.04 on the largest variances; 0.15 is a
        // generous bound that still catches noise with a wrong scale, sign or correlation.
        var exact = _problem.ExactOutputLaw(Kind, 8);
        var error = 0.0;
        for (var i = 0; i < d; i++)
        {
            error = Math.Max(error, Math.Abs(mean[i] - exact.Mean[i]));
            for (var j = 0; j < d; j++)
                error = Math.Max(error, Math.Abs(covariance[i, j] - exact.Covariance[i, j]));
        }

        Assert.InRange(error, 0, 0.15);
    }

    [Fact]
    public void With_overlapping_intervals_the_output_law_still_converges_to_the_target()
    {
        var overlapping = new GaussianProblem(overlap: 0.5);
        var coarse = overlapping.ExactOutputLaw(Kind, 8);
        var fine = overlapping.ExactOutputLaw(Kind, 32);
        var fineError = overlapping.LawError(fine.Mean, fine.Covariance);
        Assert.True(fineError < overlapping.LawError(coarse.Mean, coarse.Covariance));
        Assert.InRange(fineError, 0, 2 * ToleranceAt16Steps);
    }

    [Fact]
    public void Prefix_start_at_a_group_boundary_equals_the_full_run_bit_for_bit()
    {
        var latent = _problem.Latent(7);
        var full = _problem.Generate(Kind, 6, [latent])[0];
        for (var g = 1; g < _problem.Grouping.Count; g++)
        {
            var start = LatentEdits.PrefixState(_problem.Grouping, full, latent, g);
            var resumed = _problem.Generate(Kind, 6, [start], firstGroup: g)[0];
            Assert.Equal(full, resumed);
        }
    }

    [Fact]
    public void Redrawing_group_g_leaves_earlier_groups_bit_identical()
    {
        var recipe = LatentRecipe.FromSeed(11, _problem.Grouping.Count);
        var original = _problem.Generate(Kind, 6, [recipe.Realise(_problem.Grouping)])[0];
        for (var g = 1; g < _problem.Grouping.Count; g++)
        {
            var redrawn = recipe.Redraw(Enumerable.Range(g, _problem.Grouping.Count - g), seed: 99, strength: 1);
            var variation = _problem.Generate(Kind, 6, [redrawn.Realise(_problem.Grouping)])[0];
            for (var h = 0; h < _problem.Grouping.Count; h++)
            {
                var indices = _problem.Grouping.Groups[h].Indices;
                var same = indices.All(i => original[i] == variation[i]);
                if (h < g)
                    Assert.True(same, $"redrawing from group {g} changed group {h}");
                else
                    Assert.False(same, $"redrawing from group {g} left group {h} unchanged");
            }
        }
    }

    [Fact]
    public void An_item_gives_the_same_output_alone_and_inside_a_batch()
    {
        var latent = _problem.Latent(5);
        var alone = _problem.Generate(Kind, 5, [latent])[0];
        var batch = new[] { _problem.Latent(1), _problem.Latent(2), latent, _problem.Latent(3) };
        var together = _problem.Generate(Kind, 5, batch)[2];
        Assert.Equal(alone, together);
    }

    [Fact]
    public void Inversion_then_generation_returns_the_input_with_error_falling_as_steps_grow()
    {
        var data = _problem.Generate(Kind, 32, [_problem.Latent(3)])[0];
        var errors = new[] { 4, 16, 64 }.Select(n =>
        {
            var latent = _problem.Invert(Kind, n, data);
            var back = _problem.Generate(Kind, n, [latent])[0];
            return data.Zip(back, (x, y) => Math.Abs(x - y)).Max();
        }).ToArray();
        Assert.True(errors[1] < errors[0] && errors[2] < errors[1], $"round-trip errors {string.Join(", ", errors)} do not fall");
        Assert.InRange(errors[^1], 0, RoundTripToleranceAt64Steps);
    }

    protected abstract double RoundTripToleranceAt64Steps { get; }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Inversion_up_to_group_k_keeps_the_earlier_groups_and_gives_the_later_ones_their_full_inversion_values(int k)
    {
        var data = _problem.Generate(Kind, 8, [_problem.Latent(4)])[0];
        var full = _problem.Invert(Kind, 8, data);
        var partial = _problem.Invert(Kind, 8, data, firstGroup: k);
        var groupOf = _problem.Grouping.GroupOfEachCoefficient;
        for (var i = 0; i < data.Length; i++)
            Assert.Equal(groupOf[i] < k ? data[i] : full[i], partial[i]);

        // It is the state a prefix start at k begins from: decoding it keeps the earlier groups as they were.
        var decoded = _problem.Generate(Kind, 8, [partial], firstGroup: k)[0];
        for (var i = 0; i < data.Length; i++)
            if (groupOf[i] < k)
                Assert.Equal(data[i], decoded[i]);
    }

    [Fact]
    public void Cancellation_stops_between_evaluations()
    {
        using var cancel = new CancellationTokenSource();
        var trajectory = new Trajectory(_problem.Latent(1), _problem.Grid(8));
        var progress = new SynchronousProgress(p =>
        {
            if (p.EvaluationsDone == 3)
                cancel.Cancel();
        });
        Assert.Throws<OperationCanceledException>(() =>
            Integrator.Run(_problem.Denoiser, Samplers.Create(Kind), _problem.Grouping, [trajectory], progress, cancel.Token));
        Assert.False(trajectory.IsFinished);
        var sampler = Samplers.Create(Kind);
        Assert.Equal(3, sampler.TotalEvaluations(trajectory.Grid) - sampler.TotalEvaluations(trajectory.Grid, trajectory.Step) + trajectory.Stage);
    }

    private sealed class SynchronousProgress(Action<SamplingProgress> report) : IProgress<SamplingProgress>
    {
        public void Report(SamplingProgress value) => report(value);
    }
}

public sealed class EulerSamplerTests : SamplerContractTests
{
    protected override SamplerKind Kind => SamplerKind.Euler;

    // Measured on this problem: law error 0.16 at 16 steps per group; round trip 0.042 at 64.
    protected override double ToleranceAt16Steps => 0.2;

    protected override double RoundTripToleranceAt64Steps => 0.06;

    protected override double Order => 1;
}

public sealed class HeunSamplerTests : SamplerContractTests
{
    protected override SamplerKind Kind => SamplerKind.Heun;

    // Measured on this problem: law error 0.0014 at 16 steps per group; round trip 6e-6 at 64.
    protected override double ToleranceAt16Steps => 0.003;

    protected override double RoundTripToleranceAt64Steps => 1e-4;

    protected override double Order => 2;

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(16)]
    public void Beats_Euler_at_equal_steps(int stepsPerGroup)
    {
        var problem = new GaussianProblem();
        var heun = problem.ExactOutputLaw(SamplerKind.Heun, stepsPerGroup);
        var euler = problem.ExactOutputLaw(SamplerKind.Euler, stepsPerGroup);
        Assert.True(problem.LawError(heun.Mean, heun.Covariance) < problem.LawError(euler.Mean, euler.Covariance));
    }
}

public sealed class HeunEulerLastSamplerTests : SamplerContractTests
{
    protected override SamplerKind Kind => SamplerKind.HeunEulerLast;

    // Measured on this problem: law error 0.0071 at 16 steps per group (Heun 0.0014); round trip 1.5e-4 at 64
    // (inversion never evaluates at a = 0, so it is all Heun; the decode's Euler last steps set the error).
    protected override double ToleranceAt16Steps => 0.01;

    protected override double RoundTripToleranceAt64Steps => 3e-4;

    // One first-order step per group adds an O(h^2) error, so the whole run stays second order.
    protected override double Order => 2;

    [Fact]
    public void Takes_one_evaluation_on_the_last_step_of_each_group_and_two_elsewhere()
    {
        var problem = new GaussianProblem();
        var grid = problem.Grid(4);
        var sampler = Samplers.Create(Kind);
        Assert.Equal(3 * (3 * 2 + 1), sampler.TotalEvaluations(grid));
        Assert.Equal(3 * 4 * 2, Samplers.Create(SamplerKind.Heun).TotalEvaluations(grid));
        var inversion = TimeGrid.Inversion(problem.Process.Schedule, TimeGrid.EqualSteps(3, 4));
        Assert.Equal(3 * 4 * 2, sampler.TotalEvaluations(inversion));
    }

    [Fact]
    public void Never_evaluates_a_moving_group_at_clean_data()
    {
        var problem = new GaussianProblem();
        var recorder = new RecordingDenoiser(problem.Denoiser);
        var trajectory = new Trajectory(problem.Latent(2), problem.Grid(4));
        Integrator.Run(recorder, Samplers.Create(Kind), problem.Grouping, [trajectory]);
        // Without overlap the group that moves in a step is the last one started; it is never at a = 0 when evaluated.
        Assert.Equal(3 * 7, recorder.Times.Count);
        for (var i = 0; i < recorder.Times.Count; i++)
            Assert.True(problem.Process.Schedule.NoiseLevel(recorder.StartedGroups[i] - 1, recorder.Times[i]) > 0, $"evaluation {i} at t = {recorder.Times[i]}");
    }
}
