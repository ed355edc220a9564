using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gdm.Core.Latents;
using Gdm.Core.Measures;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Training.Evaluation;

/// <summary>
/// Measures what GDM's latent levels do (issue 6): Fréchet distance at equal network evaluations, label kept and
/// pixel change when the levels from g on are redrawn, leakage of group g's noise into earlier groups, and the
/// encode-decode PSNR; writes results.md, the same numbers as results.json, and the figures. Every draw is named by a
/// seed, so a rerun repeats it. The first sampler and grid of the options make everything but the extra FD rows.
/// </summary>
public sealed class Evaluator(EvaluationOptions options, TextWriter log)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private SamplerKind MainSampler => options.Samplers[0];

    private GridSpacing MainGrid => options.Grids[0];

    private string MainChoice => $"{Samplers.Name(MainSampler)}, grid {MainGrid.Name}";

    public string Run(string commandLine)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.OutputDirectory);
        var train = LabelledImages.FashionMnist(options.DataDirectory, test: false);
        var test = LabelledImages.FashionMnist(options.DataDirectory, test: true);
        var cache = options.ClassifierCache ?? Path.Combine(options.OutputDirectory, "classifier.bin");
        using var judge = ClassifierJudge.TrainOrLoad(train, test, cache, options.ClassifierEpochs, (int)options.Seed, log);
        var reference = FeatureStatistics.Of(judge.Features(test.Pixels));

        var report = new StringBuilder();
        report.AppendLine("# Measurements of GDM's latent levels").AppendLine();
        report.AppendLine(Invariant, $"Regenerate with `{commandLine}` (seed {options.Seed}).").AppendLine();
        report.AppendLine(Invariant, $"Judge: a small CNN trained by the project on Fashion-MNIST ({options.ClassifierEpochs} epochs, seed {options.Seed}), test accuracy {judge.TestAccuracy:P1}; its 128 penultimate features give the Fréchet distances (FD), measured against the 10,000 test images.").AppendLine();

        using var main = new EvaluatedModel(options.Model, options.Threads);
        var models = new List<EvaluatedModel> { main };
        EvaluationResults results;
        try
        {
            models.AddRange(options.Compare.Select(c => new EvaluatedModel(c, options.Threads)));
            var (frechet, floor) = WriteFrechet(report, models, judge, reference, train);
            var levels = WriteLevels(report, main, judge);
            var leakage = WriteLeakage(report, models);
            var encode = WriteEncode(report, main, test);
            WriteFigures(main);
            results = new EvaluationResults
            {
                Command = commandLine,
                Seed = options.Seed,
                JudgeTestAccuracy = judge.TestAccuracy,
                Frechet = frechet,
                TrainingImagesFd = floor,
                Levels = levels,
                Leakage = leakage,
                Encode = encode,
                WallTimeMinutes = Math.Round(clock.Elapsed.TotalMinutes, 1),
            };
        }
        finally
        {
            foreach (var model in models.Skip(1))
                model.Dispose();
        }

        report.AppendLine(Invariant, $"Evaluation wall time: {clock.Elapsed.TotalMinutes:0.0} min on this machine.");
        var path = Path.Combine(options.OutputDirectory, "results.md");
        File.WriteAllText(path, report.ToString());
        var jsonPath = Path.Combine(options.OutputDirectory, "results.json");
        File.WriteAllText(jsonPath, results.ToJson());
        log.WriteLine($"wrote {Path.GetFullPath(path)} and {Path.GetFileName(jsonPath)}");
        return report.ToString();
    }

    private float[][] Latents(EvaluatedModel model, int count, ulong offset) =>
        Enumerable.Range(0, count).Select(i => model.Latent(LatentRecipe.FromSeed(options.Seed + offset + (ulong)i, model.Groups))).ToArray();

    private (IReadOnlyList<FrechetEntry> Entries, double Floor) WriteFrechet(
        StringBuilder report, IReadOnlyList<EvaluatedModel> models, ClassifierJudge judge, FeatureStatistics reference, LabelledImages train)
    {
        report.AppendLine(Invariant, $"## Fréchet distance at equal network evaluations ({options.Samples} samples, at most {options.EvaluationsPerSample} evaluations each)").AppendLine();
        report.AppendLine("| model | grouping | causal-input | training steps | sampler | grid | steps per group | evaluations | FD to test set |");
        report.AppendLine("|---|---|---|---|---|---|---|---|---|");
        var entries = new List<FrechetEntry>();
        foreach (var model in models)
            foreach (var sampler in options.Samplers)
                foreach (var grid in options.Grids)
                {
                    var steps = model.StepsWithin(options.EvaluationsPerSample, sampler, grid);
                    var evaluations = Samplers.Create(sampler).TotalEvaluations(model.GenerationGrid(steps, grid));
                    var clock = Stopwatch.StartNew();
                    var samples = model.ToPixels(model.Generate(Latents(model, options.Samples, 0), steps, sampler, grid));
                    var fd = FrechetDistance.Between(FeatureStatistics.Of(judge.Features(samples)), reference);
                    log.WriteLine($"FD {model.Label}, {Samplers.Name(sampler)}, grid {grid.Name}: {fd:0.00} ({clock.Elapsed.TotalSeconds:0}s)");
                    report.AppendLine(Invariant, $"| {model.Name} | {model.Process.Grouping.Spec} | {(model.Process.Grouping.Count == 1 ? "n/a (one group)" : model.HidesUnstartedGroups ? "yes" : "no")} | {model.Manifest.Training.Steps} | {Samplers.Name(sampler)} | {grid.Name} | {steps[0]} | {evaluations} | {fd:0.00} |");
                    entries.Add(new FrechetEntry(model.Name, model.Process.Grouping.Spec, model.Process.CausalInput, model.Manifest.Training.Steps,
                        Samplers.Name(sampler), grid.Name, steps, evaluations, options.Samples, Math.Round(fd, 4)));
                }

        var trainPixels = train.Pixels.AsSpan(0, options.Samples * train.Images.Shape.Size);
        var floor = FrechetDistance.Between(FeatureStatistics.Of(judge.Features(trainPixels)), reference);
        report.AppendLine(Invariant, $"| (training images) | | | | | | | | {floor:0.00} |").AppendLine();
        report.AppendLine(Invariant, $"The last row is {options.Samples} real training images: the distance a perfect model would reach with this many samples.").AppendLine();
        return (entries, Math.Round(floor, 4));
    }

    private LevelTable WriteLevels(StringBuilder report, EvaluatedModel model, ClassifierJudge judge)
    {
        var steps = model.Manifest.DefaultStepsPerGroup;
        var sources = Latents(model, options.LevelImages, 10_000);
        var originals = model.Generate(sources, steps, MainSampler, MainGrid);
        var originalPixels = model.ToPixels(originals);
        var originalLabels = judge.Labels(originalPixels);
        var rows = new List<LevelRow>();
        report.AppendLine(Invariant, $"## Redrawing the levels from g on ({model.Label}, {options.LevelImages} images, prefix start, {MainChoice})").AppendLine();
        report.AppendLine("| from group g | group | label kept | mean pixel change (grey levels of 255) | network evaluations |");
        report.AppendLine("|---|---|---|---|---|");
        for (var g = 0; g < model.Groups; g++)
        {
            var redrawn = Enumerable.Range(g, model.Groups - g).ToArray();
            var starts = sources.Select((_, i) =>
            {
                var recipe = LatentRecipe.FromSeed(options.Seed + 10_000 + (ulong)i, model.Groups).Redraw(redrawn, options.Seed + 900_000 + (ulong)i, 1);
                return LatentEdits.PrefixState(model.Process.Grouping, originals[i], model.Latent(recipe), g);
            }).ToArray();
            var pixels = model.ToPixels(model.Generate(starts, steps, MainSampler, MainGrid, firstGroup: g));
            var labels = judge.Labels(pixels);
            var kept = labels.Zip(originalLabels, (a, b) => a == b ? 1.0 : 0.0).Average();
            var change = 0.0;
            for (var i = 0; i < pixels.Length; i++)
                change += Math.Abs(Math.Clamp(pixels[i], -1f, 1f) - Math.Clamp(originalPixels[i], -1f, 1f)) * 127.5 / pixels.Length;
            var evaluations = Samplers.Create(MainSampler).TotalEvaluations(model.GenerationGrid(steps, MainGrid, firstGroup: g));
            log.WriteLine($"levels from {g}: label kept {kept:P1}, change {change:0.0}");
            report.AppendLine(Invariant, $"| {g} | {model.Process.Grouping.Groups[g].Name} | {kept:P1} | {change:0.0} | {evaluations} |");
            rows.Add(new LevelRow(g, model.Process.Grouping.Groups[g].Name, Math.Round(kept, 4), Math.Round(change, 2), evaluations));
        }

        report.AppendLine().AppendLine("Group 0 redraws everything (a new sample: the label is kept only by chance); the later the first redrawn group, the more of the image is kept.").AppendLine();
        return new LevelTable(model.Name, Samplers.Name(MainSampler), MainGrid.Name, options.LevelImages, rows);
    }

    private IReadOnlyList<LeakageEntry> WriteLeakage(StringBuilder report, IReadOnlyList<EvaluatedModel> models)
    {
        report.AppendLine(Invariant, $"## Leakage: change of groups < g when only group g's noise changes ({options.LeakageImages} images, full runs from t = 1, {MainChoice})").AppendLine();
        report.AppendLine("Relative RMS change of the coefficients of the earlier groups (0 means those groups do not see group g's noise at all).").AppendLine();
        var grouped = models.Where(m => m.Groups > 1).ToArray();
        report.AppendLine("| group g | " + string.Join(" | ", grouped.Select(m => $"{m.Name} (causal-input {(m.Process.CausalInput ? "on" : "off")})")) + " |");
        report.AppendLine("|---|" + string.Concat(grouped.Select(_ => "---|")));
        var entries = new List<LeakageEntry>();
        var rows = new List<string>[grouped.Max(m => m.Groups)];
        for (var g = 1; g < rows.Length; g++)
            rows[g] = [g.ToString(Invariant)];
        foreach (var model in grouped)
        {
            var steps = model.Manifest.DefaultStepsPerGroup;
            var sources = Latents(model, options.LeakageImages, 20_000);
            var originals = model.Generate(sources, steps, MainSampler, MainGrid);
            var byGroup = new List<LeakageRow>();
            for (var g = 1; g < model.Groups; g++)
            {
                var changed = sources.Select((_, i) => model.Latent(LatentRecipe.FromSeed(options.Seed + 20_000 + (ulong)i, model.Groups).Redraw([g], options.Seed + 800_000 + (ulong)i, 1))).ToArray();
                var outputs = model.Generate(changed, steps, MainSampler, MainGrid);
                double difference = 0, magnitude = 0;
                for (var i = 0; i < outputs.Length; i++)
                    for (var h = 0; h < g; h++)
                        foreach (var k in model.Process.Grouping.Groups[h].Indices)
                        {
                            difference += Math.Pow(outputs[i][k] - originals[i][k], 2);
                            magnitude += Math.Pow(originals[i][k], 2);
                        }

                var leakage = Math.Sqrt(difference / Math.Max(magnitude, 1e-30));
                log.WriteLine($"leakage {model.Label} group {g}: {leakage:g3}");
                rows[g].Add(leakage.ToString("0.0000", Invariant));
                byGroup.Add(new LeakageRow(g, leakage));
            }

            entries.Add(new LeakageEntry(model.Name, model.Process.CausalInput, Samplers.Name(MainSampler), MainGrid.Name, options.LeakageImages, byGroup));
        }

        for (var g = 1; g < rows.Length; g++)
            report.AppendLine("| " + string.Join(" | ", rows[g]) + " |");
        report.AppendLine();
        return entries;
    }

    private IReadOnlyList<EncodeEntry> WriteEncode(StringBuilder report, EvaluatedModel model, LabelledImages test)
    {
        var steps = model.Manifest.DefaultStepsPerGroup;
        var d = model.Shape.Size;
        var pixels = test.Pixels.AsSpan(0, options.EncodeImages * d).ToArray();
        var coefficients = Figures.Split(pixels, model.Shape).Select(p => model.ToCoefficients(p)).ToArray();
        report.AppendLine(Invariant, $"## Encode then decode ({options.EncodeImages} test images, {string.Join(",", steps)} steps per group, grid {MainGrid.Name})").AppendLine();
        report.AppendLine("| sampler | PSNR (dB, 8-bit) | latent std |");
        report.AppendLine("|---|---|---|");
        var entries = new List<EncodeEntry>();
        foreach (var sampler in new[] { SamplerKind.Euler, SamplerKind.Heun }.Concat(options.Samplers).Distinct())
        {
            var latents = model.Invert(coefficients, steps, sampler, MainGrid);
            var decoded = model.ToPixels(model.Generate(latents, steps, sampler, MainGrid));
            var squared = 0.0;
            for (var i = 0; i < pixels.Length; i++)
                squared += Math.Pow((Math.Clamp(decoded[i], -1f, 1f) - pixels[i]) * 127.5, 2);
            var psnr = 10 * Math.Log10(255.0 * 255.0 / (squared / pixels.Length));
            var std = Math.Sqrt(latents.SelectMany(l => l).Average(v => (double)v * v));
            log.WriteLine($"encode/decode {Samplers.Name(sampler)}: PSNR {psnr:0.00} dB");
            report.AppendLine(Invariant, $"| {Samplers.Name(sampler)} | {psnr:0.00} | {std:0.00} |");
            entries.Add(new EncodeEntry(model.Name, Samplers.Name(sampler), MainGrid.Name, steps, options.EncodeImages, Math.Round(psnr, 3), Math.Round(std, 4)));
        }

        report.AppendLine().AppendLine("A latent std near 1 means the encoder lands where the sampler starts (N(0, I)).").AppendLine();
        return entries;
    }

    private void WriteFigures(EvaluatedModel model)
    {
        var steps = model.Manifest.DefaultStepsPerGroup;
        var grouping = model.Process.Grouping;
        var shape = model.Shape;
        var output = options.OutputDirectory;

        var samples = model.Generate(Latents(model, 64, 30_000), steps, MainSampler, MainGrid);
        Figures.Save(Path.Combine(output, "samples.png"), Figures.Split(model.ToPixels(samples), shape), shape, 8);

        // Variations: row g keeps groups < g of one source and redraws the rest, seven times.
        var source = LatentRecipe.FromSeed(options.Seed + 30_001, model.Groups);
        var original = model.Generate([model.Latent(source)], steps, MainSampler, MainGrid)[0];
        var rows = new List<float[]>();
        for (var g = 0; g < model.Groups; g++)
        {
            var starts = Enumerable.Range(0, 7).Select(v => LatentEdits.PrefixState(grouping, original, model.Latent(
                source.Redraw(Enumerable.Range(g, model.Groups - g), options.Seed + 700_000 + (ulong)(g * 10 + v), 1)), g)).ToArray();
            rows.Add(original);
            rows.AddRange(model.Generate(starts, steps, MainSampler, MainGrid, firstGroup: g));
        }

        Figures.Save(Path.Combine(output, "variations-by-level.png"), Figures.Split(model.ToPixels(rows), shape), shape, 8);

        // Mix: A, B, then groups < g from A and groups >= g from B for every split g.
        var mixes = new List<float[]>();
        for (var pair = 0; pair < 3; pair++)
        {
            var a = model.Latent(LatentRecipe.FromSeed(options.Seed + 40_000 + (ulong)pair, model.Groups));
            var b = model.Latent(LatentRecipe.FromSeed(options.Seed + 50_000 + (ulong)pair, model.Groups));
            var starts = new List<float[]> { a, b };
            for (var g = 1; g < model.Groups; g++)
                starts.Add(LatentEdits.Compose(grouping, [a, b], Enumerable.Range(0, model.Groups).Select(h => h < g ? 0 : 1).ToArray()));
            mixes.AddRange(model.Generate(starts, steps, MainSampler, MainGrid));
        }

        Figures.Save(Path.Combine(output, "mix.png"), Figures.Split(model.ToPixels(mixes), shape), shape, model.Groups + 1);

        // Traversal: coordinate k of the lowest groups over -2..2, for three sources.
        var values = Enumerable.Range(0, 9).Select(i => -2f + 0.5f * i).ToArray();
        var strips = new List<float[]>();
        var traversed = new (int Group, int Coordinate)[] { (0, 0), (Math.Min(1, model.Groups - 1), 0), (Math.Min(1, model.Groups - 1), Math.Min(1, grouping.Groups[Math.Min(1, model.Groups - 1)].Size - 1)) };
        foreach (var (group, coordinate) in traversed)
        {
            var latent = model.Latent(LatentRecipe.FromSeed(options.Seed + 60_000, model.Groups));
            strips.AddRange(model.Generate(values.Select(v => LatentEdits.WithCoordinate(latent, grouping, group, coordinate, v)).ToArray(), steps, MainSampler, MainGrid));
        }

        Figures.Save(Path.Combine(output, "traverse.png"), Figures.Split(model.ToPixels(strips), shape), shape, values.Length);
        log.WriteLine($"figures written to {Path.GetFullPath(output)}");
    }
}
