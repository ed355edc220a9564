using System.CommandLine;
using System.CommandLine.Parsing;

namespace Gdm.Training.Cli;

/// <summary>
/// The command line as a manifest records it: "gdm-train VERB ARGS" with every absolute path that lies inside the
/// working directory written relative to it (or as a relative part of a "kind:PATH" spec), so a model's manifest
/// names no folder of the machine it was trained on. Paths outside the working directory are kept as given.
/// </summary>
public static class RecordedCommand
{
    /// <summary>The parsed command line (verb, flags and values as System.CommandLine split them) in this working directory.</summary>
    public static string From(ParseResult result) =>
        From(result.Tokens.Where(t => t.Type != TokenType.Directive).Select(t => t.Value).ToArray(), Environment.CurrentDirectory);

    public static string From(IReadOnlyList<string> args, string workingDirectory)
    {
        var root = Path.GetFullPath(workingDirectory);
        return "gdm-train " + string.Join(' ', args.Select(a => Relative(a, root)));
    }

    private static string Relative(string argument, string root)
    {
        if (Path.IsPathFullyQualified(argument))
            return Inside(argument, root) ?? argument;
        var colon = argument.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && Path.IsPathFullyQualified(argument[(colon + 1)..]))
            return Inside(argument[(colon + 1)..], root) is { } relative ? argument[..(colon + 1)] + relative : argument;
        return argument;
    }

    private static string? Inside(string path, string root)
    {
        var relative = Path.GetRelativePath(root, Path.GetFullPath(path));
        return relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathFullyQualified(relative)
            ? null
            : relative;
    }
}
