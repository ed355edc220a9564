using Gdm.Core;
using Gdm.Core.Models;
using Gdm.Core.Sampling;

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

    public ModelManifest Manifest { get; }

    public GdmProcess Process { get; }

    public ImageShape Shape => Process.Shape;

    public IImageNetwork Network { get; }

    public IDenoiser Denoiser { get; }

    public string Folder { get; }

    public void Dispose() => (Network as IDisposable)?.Dispose();
}
