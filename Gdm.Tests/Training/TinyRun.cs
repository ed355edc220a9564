using Gdm.Core;
using Gdm.Training.Data;
using Gdm.Training.Network;
using Gdm.Training.Training;

namespace Gdm.Tests.Training;

/// <summary>A throw-away run directory and the smallest network that still has every module (attention included).</summary>
internal sealed class TinyRun : IDisposable
{
    public TinyRun()
    {
        Folder = Path.Combine(Path.GetTempPath(), "gdm-training-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public static UNetOptions Network => new() { BaseWidth = 8, ChannelMultipliers = [1, 2], ResidualBlocksPerLevel = 1, NormGroups = 4 };

    public static TrainingOptions Options(string grouping = "dct-bands") => new()
    {
        Data = "synthetic:64",
        Grouping = grouping,
        ImageSize = 8,
        Channels = 3,
        BatchSize = 8,
        WarmupSteps = 2,
        CheckpointEvery = 1000,
        SampleEvery = 0,
        Network = Network,
    };

    public static ImageDataSet Data(TrainingOptions options) =>
        DataSpec.Load(options.Data, new ImageShape(options.Channels, options.ImageSize, options.ImageSize), options.Seed);

    public RunDirectory Run(string name) => new(Path.Combine(Folder, name));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail a test over it.
        }
    }
}
