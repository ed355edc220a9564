namespace Gdm.Training.Onnx;

/// <summary>
/// What an exported manifest says beyond the run: the model's version number among models of its name, and the
/// sampler and time grid (canonical names) new requests get when they name none; null leaves the service's default
/// (euler, uniform) to the manifest's readers.
/// </summary>
public sealed record ExportDefaults(int Version, string? Sampler, string? Grid)
{
    public static ExportDefaults None { get; } = new(1, null, null);
}
