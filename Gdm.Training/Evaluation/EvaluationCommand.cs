using System.CommandLine;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;
using Gdm.Training.Cli;

namespace Gdm.Training.Evaluation;

/// <summary>The `evaluate` verb: gdm-train evaluate --model DIR [--compare DIR,DIR] --out docs/ [--samples N ...].</summary>
public static class EvaluationCommand
{
    private static readonly EvaluationOptions Defaults = new() { Model = "", OutputDirectory = "" };

    public static Command Create()
    {
        var model = Flag.Required("--model", "MODEL_DIR", "the model whose levels, encode PSNR and figures are reported");
        var compare = Flag.List("--compare", "MODEL_DIRS", "models compared with it on Fréchet distance and leakage, comma-separated", "none", text => text);
        var output = Flag.Required("--out", "DIR", "where results.md, results.json and the figures go");
        var dataDirectory = Flag.Text("--data-dir", "DIR", "the Fashion-MNIST folder (train and test images and labels)", Defaults.DataDirectory);
        var samples = Flag.Number("--samples", "IMAGES", "samples per model and sampler for the Fréchet distance", Defaults.Samples, 2);
        var evaluations = Flag.Number("--nfe", "EVALUATIONS", "network evaluations per sample, split equally over the groups", Defaults.EvaluationsPerSample, 1);
        var samplers = Flag.List("--sampler", "SAMPLERS", "samplers measured, comma-separated: euler, heun, heun-euler-last (the first makes the level, leakage and figure images)",
            string.Join(',', Defaults.Samplers.Select(Samplers.Name)), Samplers.Parse);
        var grids = Flag.List("--grid", "GRIDS", "time grids measured with every sampler, comma-separated: uniform, band-warp:SIGMA_REF (the first is used everywhere else)",
            string.Join(',', Defaults.Grids.Select(g => g.Name)), GridSpacing.Parse);
        var levelImages = Flag.Number("--level-images", "IMAGES", "images per level for the label-kept rate", Defaults.LevelImages, 1);
        var leakageImages = Flag.Number("--leakage-images", "IMAGES", "images for the leakage table", Defaults.LeakageImages, 1);
        var encodeImages = Flag.Number("--encode-images", "IMAGES", "test images encoded for the encode PSNR", Defaults.EncodeImages, 1);
        var seed = Flag.Number("--seed", "SEED", "seeds every sample and the classifier", Defaults.Seed, 0UL);
        var classifierEpochs = Flag.Number("--classifier-epochs", "EPOCHS", "training epochs of the garment classifier that judges the samples", Defaults.ClassifierEpochs, 1);
        var classifier = Flag.OptionalText("--classifier", "FILE", "the garment classifier's weights: read when the file exists, else trained and written there", "classifier.bin in the --out folder");
        var threads = Flag.Number("--threads", "THREADS", "ONNX Runtime intra-op threads (0: one per core; 1 is faster beside other busy processes)", Defaults.Threads, 0);
        var command = new Command("evaluate", "Fréchet distance, levels, leakage and encode PSNR of models; writes results.md, results.json and figures")
        {
            model, compare, output, dataDirectory, samples, evaluations, samplers, grids, levelImages, leakageImages, encodeImages, seed, classifierEpochs, classifier, threads,
        };
        command.SetAction(result => Run(new EvaluationOptions
        {
            Model = ExistingFolder(result.GetValue(model)!, "--model"),
            Compare = (result.GetValue(compare) ?? []).Select(c => ExistingFolder(c, "--compare")).ToArray(),
            OutputDirectory = result.GetValue(output)!,
            DataDirectory = result.GetValue(dataDirectory)!,
            Samples = result.GetValue(samples),
            EvaluationsPerSample = result.GetValue(evaluations),
            Samplers = AtLeastOne(result.GetValue(samplers) ?? Defaults.Samplers, "--sampler"),
            Grids = AtLeastOne(result.GetValue(grids) ?? Defaults.Grids, "--grid"),
            LevelImages = result.GetValue(levelImages),
            LeakageImages = result.GetValue(leakageImages),
            EncodeImages = result.GetValue(encodeImages),
            Seed = result.GetValue(seed),
            ClassifierEpochs = result.GetValue(classifierEpochs),
            ClassifierCache = result.GetValue(classifier),
            Threads = result.GetValue(threads),
        }, RecordedCommand.From(result)));
        return command;
    }

    private static int Run(EvaluationOptions options, string commandLine)
    {
        // A band-warp grid needs every model's data statistics: refuse now, not after the judge is trained.
        foreach (var model in options.Compare.Prepend(options.Model))
        {
            var manifest = Gdm.Core.Models.ModelManifest.Read(Path.Combine(model, Gdm.Core.Models.ModelManifest.FileName));
            foreach (var grid in options.Grids)
                if (grid.NeedsGroupStds && manifest.Statistics is null)
                    throw new UsageException($"--grid {grid.Name}: {model} has no data statistics in its manifest (add them with `gdm-train stats --model {model} --data SPEC`)");
        }
        new Evaluator(options, Console.Out).Run(commandLine);
        return 0;
    }

    private static T[] AtLeastOne<T>(IEnumerable<T> values, string flag)
    {
        var distinct = values.Distinct().ToArray();
        return distinct.Length > 0 ? distinct : throw new UsageException($"{flag} needs at least one value");
    }

    private static string ExistingFolder(string path, string flag) =>
        Directory.Exists(path) ? path : throw new UsageException($"{flag} {path}: folder not found");
}
