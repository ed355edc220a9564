namespace Gdm.Api.Inference;

/// <summary>A model folder that will not be served; File names the file at fault.</summary>
public sealed class ModelRefusedException(string file, string message) : Exception($"{file}: {message}")
{
    public string File { get; } = file;
}
