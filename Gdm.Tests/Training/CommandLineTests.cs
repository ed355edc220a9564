using System.CommandLine;
using System.CommandLine.Help;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gdm.Core.Models;
using Gdm.Tests.Api.Support;
using Gdm.Training.Cli;
using Gdm.Training.Training;

namespace Gdm.Tests.Training;

/// <summary>gdm-train's command tree as a user meets it: the help, the errors, and the commands the repository records.</summary>
public sealed partial class CommandLineTests
{
    private static readonly RootCommand Tree = TrainerCommandLine.Create(CancellationToken.None);

    public static TheoryData<string> Verbs => new(Tree.Subcommands.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task A_verbs_help_lists_each_of_its_flags_with_its_unit_and_default(string verb)
    {
        var (exitCode, output, error) = await Run(verb, "--help");

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        var command = Tree.Subcommands.Single(c => c.Name == verb);
        foreach (var option in command.Options.Where(o => o is not HelpOption))
        {
            var row = Row(output, option.Name);
            Assert.True(row.Contains("[default: ", StringComparison.Ordinal) || row.Contains("(REQUIRED)", StringComparison.Ordinal),
                $"`{verb} --help` gives {option.Name} neither a default nor (REQUIRED): {row}");
            if (option.Arity.MaximumNumberOfValues == 0)
                continue; // a switch: its default is said in words (on, off)
            Assert.Contains($"<{option.HelpName}>", row, StringComparison.Ordinal);
            if (option.HasDefaultValue)
                Assert.Contains($"[default: {option.GetDefaultValue()}]", row, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_bare_help_lists_every_verb_and_every_verbs_flags()
    {
        var (exitCode, output, _) = await Run("--help");

        Assert.Equal(0, exitCode);
        foreach (var verb in Tree.Subcommands)
        {
            var (_, verbHelp, _) = await Run(verb.Name, "--help");
            Assert.Contains(verbHelp, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_flag_is_one_line_naming_it_and_exit_code_2()
    {
        var run = Path.Combine(Path.GetTempPath(), "gdm-cli-tests", Guid.NewGuid().ToString("N"));

        var (exitCode, output, error) = await Run("train", "--data", "synthetic", "--out", run, "--stpes", "4");

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Single(Lines(error));
        Assert.StartsWith($"{Tree.Name} train: ", error, StringComparison.Ordinal);
        Assert.Contains("'--stpes'", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public async Task An_out_that_is_a_file_and_a_compare_folder_without_a_manifest_are_one_line_and_exit_code_2()
    {
        var file = Path.GetTempFileName();
        var empty = Directory.CreateTempSubdirectory("gdm-cli-tests-").FullName;
        try
        {
            var (trained, _, trainError) = await Run("train", "--data", "synthetic:64", "--steps", "1", "--width", "8", "--mults", "1", "--res-blocks", "1", "--batch", "4", "--out", file);
            var (evaluated, _, evaluateError) = await Run("evaluate", "--model", Path.Combine(ShippedModels.Folder, "fashion-dct"), "--compare", empty, "--out", Path.Combine(empty, "out"));

            Assert.Equal((2, 2), (trained, evaluated));
            Assert.StartsWith($"{Tree.Name} train: ", Assert.Single(Lines(trainError)), StringComparison.Ordinal);
            Assert.StartsWith($"{Tree.Name} evaluate: ", Assert.Single(Lines(evaluateError)), StringComparison.Ordinal);
            Assert.Contains("manifest.json", evaluateError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task Several_mistakes_are_one_line_of_clauses_joined_by_semicolons()
    {
        var (exitCode, _, error) = await Run("train", "--steps", "-5");

        Assert.Equal(2, exitCode);
        Assert.Equal(
            $"{Tree.Name} train: Option '--data' is required; Option '--out' is required; --steps must be at least 1, got -5 (`{Tree.Name} train --help` lists the flags)",
            Assert.Single(Lines(error)));
    }

    [Theory]
    [InlineData("--steps", "ten", "--steps must be a whole number, got 'ten'")]
    [InlineData("--batch", "0", "--batch must be at least 1, got 0")]
    [InlineData("--lr", "fast", "--lr must be a number, got 'fast'")]
    [InlineData("--mults", "1,x", "--mults: 'x' is not a whole number")]
    [InlineData("--lr-decay", "linear", "--lr-decay must be one of none, cosine, got 'linear'")]
    [InlineData("--conditioning", "film", "--conditioning must be one of time, group-levels, got 'film'")]
    public async Task A_bad_value_is_one_line_in_the_users_words_and_exit_code_2(string flag, string value, string message)
    {
        var (exitCode, output, error) = await Run("train", "--data", "synthetic", "--out", "unused", flag, value);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Single(Lines(error));
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_required_flag_and_a_bad_list_item_of_evaluate_are_one_line_each()
    {
        var (missing, _, missingError) = await Run("export", "--run", "somewhere");
        var (badSampler, _, samplerError) = await Run("evaluate", "--model", "m", "--out", "o", "--sampler", "euler,rk4");

        Assert.Equal((2, 2), (missing, badSampler));
        Assert.Contains("'--out'", Assert.Single(Lines(missingError)), StringComparison.Ordinal);
        Assert.Contains("--sampler: unknown sampler 'rk4'", Assert.Single(Lines(samplerError)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_the_user_can_mend_inside_a_verb_is_one_line_and_exit_code_2()
    {
        var missing = Path.Combine(Path.GetTempPath(), "gdm-cli-tests", Guid.NewGuid().ToString("N"));

        var (exitCode, _, error) = await Run("sample", "--model", missing, "--out", Path.Combine(missing, "grid.png"));

        Assert.Equal(2, exitCode);
        Assert.Equal($"{Tree.Name} sample: --model {missing}: no {ModelManifest.FileName} there", Assert.Single(Lines(error)));
    }

    [Theory]
    [InlineData("Preconditioned", "true", "--precondition")]
    [InlineData("TimeWarpReference", "1", "--time-warp")]
    [InlineData("GroupQuota", "true", "--group-quota")]
    public async Task A_run_made_with_a_removed_option_is_refused_by_resume_and_export_in_one_line(string property, string value, string flag)
    {
        var run = new RunDirectory(Path.Combine(Path.GetTempPath(), "gdm-cli-tests", Guid.NewGuid().ToString("N")));
        try
        {
            WriteOptionsWith(run, property, value);
            var model = Path.Combine(run.Path, "model");

            var (resumed, _, resumeError) = await Run("resume", "--run", run.Path);
            var (exported, _, exportError) = await Run("export", "--run", run.Path, "--out", model);

            var problem = $"{run.OptionsFile}: {property} is {value}: this build no longer has {flag}, and the run's network was trained for it";
            Assert.Equal((2, 2), (resumed, exported));
            Assert.Equal($"{Tree.Name} resume: {problem}", Assert.Single(Lines(resumeError)));
            Assert.Equal($"{Tree.Name} export: {problem}", Assert.Single(Lines(exportError)));
            Assert.False(Directory.Exists(model));
        }
        finally
        {
            Directory.Delete(run.Path, recursive: true);
        }
    }

    [Fact]
    public void A_run_whose_options_json_has_the_removed_options_off_still_reads()
    {
        var run = new RunDirectory(Path.Combine(Path.GetTempPath(), "gdm-cli-tests", Guid.NewGuid().ToString("N")));
        try
        {
            WriteOptionsWith(run, "Preconditioned", "false");
            WriteOptionsWith(run, "TimeWarpReference", "null");

            Assert.Equal("synthetic:8", run.ReadOptions().Data);
            Assert.Contains("\"TimeWarpReference\": null", File.ReadAllText(run.OptionsFile), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(run.Path, recursive: true);
        }
    }

    /// <summary>Writes (or rewrites) a run's options.json with one more property, as runs written before its removal carry it.</summary>
    private static void WriteOptionsWith(RunDirectory run, string property, string value)
    {
        if (!File.Exists(run.OptionsFile))
            run.WriteOptions(new TrainingOptions { Data = "synthetic:8" });
        var options = JsonNode.Parse(File.ReadAllText(run.OptionsFile))!.AsObject();
        options[property] = JsonNode.Parse(value);
        File.WriteAllText(run.OptionsFile, options.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The measurement that removed --precondition and --time-warp: its commands ran on a build that had them.</summary>
    private const string RemovedOptionsRecord = "training-ablations.md";

    [Fact]
    public void Every_command_the_repository_records_still_parses()
    {
        var root = Path.GetDirectoryName(ShippedModels.Folder)!;
        var recorded = Directory.GetDirectories(ShippedModels.Folder)
            .Select(model => Path.Combine(model, ModelManifest.FileName))
            .Where(File.Exists)
            .SelectMany(manifest => ModelManifest.Read(manifest).Training.Command?.Split("; ") ?? [])
            .Select(command => FromStep().Replace(command, ""))
            .Concat(new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(f => Path.GetRelativePath(root, f)))
                .Where(file => file != Path.Combine("docs", RemovedOptionsRecord))
                .SelectMany(file => DocumentedCommands(File.ReadAllText(Path.Combine(root, file)))))
            .ToArray();

        Assert.Contains(recorded, c => c.StartsWith("gdm-train train ", StringComparison.Ordinal));
        Assert.Contains(recorded, c => c.StartsWith("gdm-train evaluate ", StringComparison.Ordinal));
        foreach (var command in recorded)
        {
            var result = CommandLineRun.Parse(Tree, command.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);
            Assert.True(result.Errors.Count == 0, $"`{command}` no longer parses: {string.Join("; ", result.Errors.Select(e => e.Message))}");
        }
    }

    [Fact]
    public void A_parsed_command_is_recorded_with_its_verb_and_every_token()
    {
        string[] args = ["export", "--run=runs/v3", "--out", "models/v3"];

        Assert.Equal("gdm-train export --run runs/v3 --out models/v3", RecordedCommand.From(CommandLineRun.Parse(Tree, args)));
    }

    /// <summary>The gdm-train commands of a Markdown file's code blocks (continued lines joined, elided ones skipped).</summary>
    private static IEnumerable<string> DocumentedCommands(string markdown)
    {
        var inCode = false;
        foreach (var line in markdown.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
                inCode = !inCode;
            else if (inCode && !line.Contains("...", StringComparison.Ordinal))
            {
                var command = line.Replace("dotnet run --project Gdm.Training -c Release --", "gdm-train", StringComparison.Ordinal).Trim();
                if (command.StartsWith("gdm-train ", StringComparison.Ordinal))
                    yield return command;
            }
        }
    }

    /// <summary>An option's row of a help text: its line and the wrapped lines under it.</summary>
    private static string Row(string help, string name)
    {
        var lines = help.Split('\n');
        var first = Array.FindIndex(lines, l => Regex.IsMatch(l, $@"^\s+(-\S+, )*{Regex.Escape(name)}( |$)"));
        Assert.True(first >= 0, $"the help has no row for {name}:\n{help}");
        var rest = lines.Skip(first + 1).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal) && !l.TrimStart().StartsWith('-'));
        return string.Join(' ', rest.Prepend(lines[first]).Select(l => l.Trim()));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CommandLineRun.InvokeAsync(Tree, args, TrainerCommandLine.IsUsageError, output: output, error: error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [GeneratedRegex(@" \(from step \d+\)$")]
    private static partial Regex FromStep();
}
