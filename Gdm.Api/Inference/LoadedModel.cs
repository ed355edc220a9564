using Gdm.Core;
using Gdm.Core.Models;
using Gdm.Core.Latents;
using Gdm.Core.Sampling;
using Gdm.Core.Schedules;

namespace Gdm.Api.Inference;

/// <summary>A model ready to serve: its manifest, its forward process and one shared network.</summary>
public sealed class LoadedModel : IDisposable
{
    public LoadedModel(ModelManifest manifest, IImageNetwork network, string folder)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(network);
        Manifest = manifest;
        Process = manifest.ToProcess();
        if (network.Shape != Process.Shape)
            throw new ArgumentException($"the network works on {network.Shape} images, the manifest of {manifest.Name} says {Process.Shape}");
        Network = network;
        Denoiser = new NetworkDenoiser(network, Process);
        Folder = folder;
    }

    public string Name => Manifest.Name;

    /// <summary>This model's version number among the models of its name.</summary>
    public int Version => Manifest.Version;

    /// <summary>The digest recipes name this version by (RecipeVersion).</summary>
    public string Digest => Manifest.Digest;

    /// <summary>Name and version, as log lines and errors show a model.</summary>
    public string Label => $"{Name} version {Version} ({Digest})";

    public ModelManifest Manifest { get; }

    public GdmProcess Process { get; }

    public ImageShape Shape => Process.Shape;

    public IImageNetwork Network { get; }

    public IDenoiser Denoiser { get; }

    public string Folder { get; }

    /// <summary>What new recipes of this model get: this version and its default grid.</summary>
    public RecipeVersion NewRecipes => new(Digest, Manifest.DefaultGridSpacing);

    /// <summary>The generation grid of a recipe with this version (null: made before versions) on this model.</summary>
    public TimeGrid GenerationGrid(IReadOnlyList<int> stepsPerGroup, int firstGroup, RecipeVersion? version) =>
        TimeGrid.Generation(Process.Schedule, stepsPerGroup, firstGroup, Manifest.GridShifts(RecipeVersion.GridOf(version)), RecipeVersion.VisibilityOf(version));

    /// <summary>The inversion grid that matches GenerationGrid, walked from t = 0 up to e_firstGroup.</summary>
    public TimeGrid InversionGrid(IReadOnlyList<int> stepsPerGroup, int firstGroup, RecipeVersion? version) =>
        TimeGrid.Inversion(Process.Schedule, stepsPerGroup, firstGroup, Manifest.GridShifts(RecipeVersion.GridOf(version)), RecipeVersion.VisibilityOf(version));

    public void Dispose() => (Network as IDisposable)?.Dispose();
}
