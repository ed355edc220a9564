using Gdm.Core.Models;
using Gdm.Core.Sampling;

namespace Gdm.Api.Inference;

/// <summary>Turns a checked manifest and its graph file into a network; ONNX Runtime in the service.</summary>
public interface INetworkLoader
{
    IImageNetwork Load(ModelManifest manifest, string onnxPath);
}
