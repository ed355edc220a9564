namespace Gdm.Training.Cli;

/// <summary>Bad command-line input; the message names the flag and is the one line printed to stderr.</summary>
public sealed class UsageException(string message) : Exception(message);
