namespace Gdm.Training.Data;

/// <summary>A missing or malformed data file; the message is the one line the CLI prints ("FILE: what is wrong").</summary>
public sealed class DataException(string file, string problem) : Exception($"{file}: {problem}")
{
    public string File { get; } = file;
}
