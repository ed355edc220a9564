using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Gdm.Training.Cli;

/// <summary>
/// How gdm-train and the benches run their System.CommandLine tree. A parse error (unknown flag, bad value, missing
/// required flag) is one line on stderr and exit code 2, not the library's full help; `--help` on the root lists
/// every verb's flags after the verbs; an exception the user caused (a missing file, a bad spec) is one line and exit
/// code 2. Response files are off, so a value that starts with @ is a value, as it always was. Linked into bench/.
/// </summary>
public static class CommandLineRun
{
    public const int UsageExitCode = 2;

    /// <summary>A root command whose --help also prints the help of each of its verbs.</summary>
    public static RootCommand Root(string description)
    {
        var root = new RootCommand(description);
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new EveryVerbHelp(root, (HelpAction)help.Action!);
        return root;
    }

    public static ParseResult Parse(RootCommand root, IReadOnlyList<string> args) =>
        root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>
    /// Parses and invokes. beforeAction runs only when a verb's action is about to run (not for help or an error) and
    /// may answer the exit code itself (gdm-train's relaunch under the oneDNN cap).
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, Func<Exception, bool> isUsageError,
        Func<ParseResult, int?>? beforeAction = null, TextWriter? output = null, TextWriter? error = null)
    {
        var configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            // Exceptions reach the caller's filter below; Ctrl+C is the tool's own business (the trainer checkpoints).
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        var result = Parse(root, args);
        var command = CommandPath(result);
        if (result.Action is ParseErrorAction)
        {
            configuration.Error.WriteLine($"{command}: {string.Join("; ", result.Errors.Select(e => e.Message.TrimEnd('.')))} (`{command} --help` lists the flags)");
            return UsageExitCode;
        }

        if (result.Action is not (HelpAction or EveryVerbHelp) && beforeAction?.Invoke(result) is { } exitCode)
            return exitCode;
        try
        {
            return await result.InvokeAsync(configuration);
        }
        catch (Exception e) when (isUsageError(e))
        {
            configuration.Error.WriteLine($"{command}: {e.Message}");
            return UsageExitCode;
        }
    }

    /// <summary>"gdm-train train": the root's name (the executable's) and the verbs down to the one parsed.</summary>
    public static string CommandPath(ParseResult result)
    {
        var names = new List<string>();
        for (var symbol = result.CommandResult; symbol is not null; symbol = symbol.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, symbol.Command.Name);
        return string.Join(' ', names);
    }

    private sealed class EveryVerbHelp(RootCommand root, HelpAction help) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var exitCode = help.Invoke(parseResult);
            if (parseResult.CommandResult.Command != root)
                return exitCode;
            foreach (var verb in root.Subcommands.Where(c => !c.Hidden))
                Parse(root, [verb.Name, "--help"]).Invoke(parseResult.InvocationConfiguration);

            return exitCode;
        }
    }
}
