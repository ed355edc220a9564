using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Gdm.Core;
using Gdm.Core.Grouping;
using Gdm.Core.Measures;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;
using Gdm.SamplerBench;
using Gdm.Training.Cli;

// The sampler benchmark on the analytic Gaussian: every sampler is an affine map of the latent when the denoiser is
// exact, so its output law is computed exactly (ExactLaw) and compared with the target by the Fréchet distance.
// Prints numbers and asserts nothing; docs/sampler-benchmark.md holds a run.
var data = new Option<FileInfo>("--data")
{
    HelpName = "FILE",
    Description = "Fashion-MNIST training images (IDX, gzipped)",
    DefaultValueFactory = _ => new FileInfo("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"),
};
var images = Flag.Number("--images", "IMAGES", "images the Gaussian N(mu, Sigma) of the 784 DCT coefficients is fitted to", 10_000, 2);
var evaluations = Flag.Number("--evaluations", "EVALUATIONS", "network evaluations per image each sampler may use (equal steps per group, as many as fit)", 48, 1);
var grouping = Flag.Text("--grouping", "SPEC", "the grouping of the GDM rows (the K = 1 rows always use single)", "dct-bands:0,1,2,4,8,16,28");
var fullCovariance = Flag.Switch("--full-covariance",
    "fit the full covariance (couples every coefficient; exact but slow: 784-wide eigen-decompositions) instead of one variance per coefficient");
var command = CommandLineRun.Root("Exact Fréchet distance of each sampler's output on a Gaussian fitted to Fashion-MNIST DCT coefficients");
foreach (var option in new Option[] { data, images, evaluations, grouping, fullCovariance })
    command.Options.Add(option);
command.SetAction(result => Benchmark.Run(
    result.GetValue(data)!, result.GetValue(images), result.GetValue(evaluations), result.GetValue(grouping)!, result.GetValue(fullCovariance)));
return await CommandLineRun.InvokeAsync(command, args, e => e is IOException or ArgumentException or FormatException);

internal static class Benchmark
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static int Run(FileInfo data, int images, int evaluations, string groupingSpec, bool fullCovariance)
    {
        var clock = Stopwatch.StartNew();
        var target = GaussianTarget.FitFashionMnist(data.FullName, images, fullCovariance);
        var shape = target.Shape;
        var bands = CoefficientGrouping.Parse(groupingSpec, shape);
        var root = fullCovariance ? SymmetricEigen.SquareRoot(target.Covariance) : null;
        var fit = fullCovariance ? "N(mu, Sigma), full covariance," : "N(mu_i, sigma_i^2) per coefficient (independent coefficients)";
        Console.WriteLine(string.Create(Invariant, $"Target: {fit} of the {shape.Size} DCT coefficients of {images} Fashion-MNIST training images (pixels in [-1, 1]), fitted in {clock.Elapsed.TotalSeconds:0} s."));
        Console.WriteLine(string.Create(Invariant, $"Band RMS std sigma_g ({bands.Spec}): {string.Join(", ", GroupStds(target, bands).Select(s => s.ToString("0.000", Invariant)))}"));
        Console.WriteLine();
        Console.WriteLine("| grouping | sampler | grid | steps per group | evaluations | FD | output / target variance, per band |");
        Console.WriteLine("|---|---|---|---|---|---|---|");

        var single = CoefficientGrouping.Single(shape);
        var rows = new List<(CoefficientGrouping Grouping, SamplerKind Sampler, GridSpacing Grid)>();
        foreach (var sampler in new[] { SamplerKind.Euler, SamplerKind.Heun, SamplerKind.HeunEulerLast })
            foreach (var grid in new[] { GridSpacing.Uniform, GridSpacing.Warped(0.5), GridSpacing.Warped(1), GridSpacing.Warped(2), GridSpacing.Warped(4) })
                rows.Add((single, sampler, grid));
        foreach (var sampler in new[] { SamplerKind.Euler, SamplerKind.Heun, SamplerKind.HeunEulerLast })
            foreach (var grid in new[] { GridSpacing.Uniform, GridSpacing.Warped(0.5), GridSpacing.Warped(1), GridSpacing.Warped(2) })
                rows.Add((bands, sampler, grid));

        var laws = fullCovariance
            ? new Dictionary<CoefficientGrouping, ExactLaw> { [single] = new(target, single), [bands] = new(target, bands) }
            : null;
        foreach (var (grouping, sampler, grid) in rows)
        {
            var schedule = GroupSchedule.Equal(grouping.Count);
            var shifts = grid.Shifts(grouping.Count, GroupStds(target, grouping));
            var (steps, timeGrid) = Fit(schedule, shifts, Samplers.Create(sampler), evaluations);
            var (mean, covariance) = laws is null ? Independent(target, grouping, sampler, timeGrid) : laws[grouping].Of(sampler, timeGrid);
            var fd = root is null ? IndependentFrechet(target, mean, covariance) : Frechet(target, root, mean, covariance);
            var ratios = bands.Groups.Select(g => g.Indices.Sum(i => covariance[i, i]) / g.Indices.Sum(i => target.Covariance[i, i]));
            var shiftNote = grouping.Count == 1 && grid != GridSpacing.Uniform ? string.Create(Invariant, $" (shift {shifts[0]:0.00})") : "";
            Console.WriteLine(string.Create(Invariant,
                $"| {grouping.Spec} | {Samplers.Name(sampler)} | {grid.Name}{shiftNote} | {steps} | {Samplers.Create(sampler).TotalEvaluations(timeGrid)} | {fd:0.00} | {string.Join(" ", ratios.Select(r => r.ToString("0.00", Invariant)))} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(Invariant, $"Total {clock.Elapsed.TotalSeconds:0} s."));
        return 0;
    }

    // The most equal steps per group whose run takes at most the budget of evaluations (at least one).
    private static (int Steps, TimeGrid Grid) Fit(GroupSchedule schedule, IReadOnlyList<double> shifts, ISampler sampler, int evaluations)
    {
        for (var n = Math.Max(1, evaluations / schedule.Count); n > 1; n--)
        {
            var grid = TimeGrid.Generation(schedule, TimeGrid.EqualSteps(schedule.Count, n), shifts: shifts);
            if (sampler.TotalEvaluations(grid) <= evaluations)
                return (n, grid);
        }

        return (1, TimeGrid.Generation(schedule, TimeGrid.EqualSteps(schedule.Count, 1), shifts: shifts));
    }

    // Independent coefficients: each one's output is Gain eps + MeanGain mu, so the law is diagonal.
    private static (double[] Mean, double[,] Covariance) Independent(GaussianTarget target, CoefficientGrouping grouping, SamplerKind sampler, TimeGrid grid)
    {
        var d = target.Mean.Length;
        var variances = Enumerable.Range(0, d).Select(i => target.Covariance[i, i]).ToArray();
        var response = ScalarResponse.Measure(grouping, variances, sampler, grid);
        var covariance = new double[d, d];
        for (var i = 0; i < d; i++)
            covariance[i, i] = response.Gain[i] * response.Gain[i];
        return (target.Mean.Select((m, i) => response.MeanGain[i] * m).ToArray(), covariance);
    }

    // Between diagonal Gaussians the Fréchet distance is |m - mu|^2 + sum (s_i - sigma_i)^2.
    private static double IndependentFrechet(GaussianTarget target, double[] mean, double[,] covariance)
    {
        var total = 0.0;
        for (var i = 0; i < mean.Length; i++)
            total += Math.Pow(mean[i] - target.Mean[i], 2) + Math.Pow(Math.Sqrt(covariance[i, i]) - Math.Sqrt(target.Covariance[i, i]), 2);
        return total;
    }

    private static double[] GroupStds(GaussianTarget target, CoefficientGrouping grouping) =>
        grouping.Groups.Select(g => Math.Sqrt(g.Indices.Average(i => target.Covariance[i, i]))).ToArray();

    // |m - mu|^2 + tr(Sigma) + tr(P) - 2 tr((Sigma^1/2 P Sigma^1/2)^1/2), with Sigma^1/2 computed once.
    private static double Frechet(GaussianTarget target, double[,] root, double[] mean, double[,] covariance)
    {
        var d = mean.Length;
        var inner = Dense.Multiply(Dense.Multiply(root, covariance), root);
        for (var i = 0; i < d; i++)
            for (var j = i + 1; j < d; j++)
                inner[i, j] = inner[j, i] = 0.5 * (inner[i, j] + inner[j, i]);
        var cross = SymmetricEigen.Decompose(inner).Values.Sum(v => Math.Sqrt(Math.Max(v, 0)));
        var total = 0.0;
        for (var i = 0; i < d; i++)
            total += (mean[i] - target.Mean[i]) * (mean[i] - target.Mean[i]) + target.Covariance[i, i] + covariance[i, i];
        return Math.Max(0, total - 2 * cross);
    }
}
