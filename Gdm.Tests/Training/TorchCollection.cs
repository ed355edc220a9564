namespace Gdm.Tests.Training;

/// <summary>Tests that train or run TorchSharp share libtorch's global generator, so they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class TorchCollection
{
    public const string Name = "TorchSharp";
}
