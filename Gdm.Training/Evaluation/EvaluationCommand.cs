using Gdm.Core.Sampling;
using Gdm.Core.Schedules;
using Gdm.Training.Cli;

namespace Gdm.Training.Evaluation;

/// <summary>The `evaluate` verb: gdm-train evaluate --model DIR [--compare DIR,DIR] --out docs/ [--samples N ...].</summary>
public static class EvaluationCommand
{
    public static int Run(Arguments args, string commandLine)
    {
        var options = new EvaluationOptions
        {
            Model = ExistingFolder(args.Required("--model"), "--model"),
            Compare = (args.Optional("--compare") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => ExistingFolder(c, "--compare")).ToArray(),
            OutputDirectory = args.Required("--out"),
            DataDirectory = args.Optional("--data-dir") ?? Data.DataSpec.FashionMnistDirectory,
            Samples = args.Integer("--samples", 1000, 2),
            EvaluationsPerSample = args.Integer("--nfe", 48, 1),
            Samplers = List(args.Optional("--sampler") ?? "euler", "--sampler", Samplers.Parse),
            Grids = List(args.Optional("--grid") ?? "uniform", "--grid", GridSpacing.Parse),
            LevelImages = args.Integer("--level-images", 200, 1),
            LeakageImages = args.Integer("--leakage-images", 64, 1),
            EncodeImages = args.Integer("--encode-images", 100, 1),
            Seed = (ulong)args.Long("--seed", 2026, 0),
            ClassifierEpochs = args.Integer("--classifier-epochs", 3, 1),
            ClassifierCache = args.Optional("--classifier"),
        };
        args.RejectUnknown("evaluate");
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

    private static T[] List<T>(string text, string flag, Func<string, T> parse)
    {
        try
        {
            var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).Distinct().ToArray();
            return values.Length > 0 ? values : throw new UsageException($"{flag} needs at least one value");
        }
        catch (FormatException e)
        {
            throw new UsageException($"{flag}: {e.Message}");
        }
    }

    private static string ExistingFolder(string path, string flag) =>
        Directory.Exists(path) ? path : throw new UsageException($"{flag} {path}: folder not found");
}
