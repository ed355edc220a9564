using System.Text.Json;

namespace Gdm.Training.Training;

/// <summary>
/// The scalar state beside a checkpoint's tensors. The data order and every step's noise are pure functions of
/// (seed, step), so the step number is all the generator state a resume needs.
/// </summary>
public sealed record CheckpointState(long Step, double TrainingSeconds, double? LastLoss, string DataSet, int Channels, int Height, int Width)
{
    public Gdm.Core.ImageShape Shape => new(Channels, Height, Width);

    public const string FileName = "state.json";
    public const string ModelFile = "model.bin";
    public const string EmaFile = "ema.bin";
    public const string OptimizerFile = "optimizer.bin";

    public void Write(string folder) =>
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));

    public static CheckpointState Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new RunException(path, "not found: the checkpoint is incomplete");
        try
        {
            return JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(path)) ?? throw new RunException(path, "empty");
        }
        catch (JsonException e)
        {
            throw new RunException(path, $"not a valid checkpoint state ({e.Message})");
        }
    }
}
