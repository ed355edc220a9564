using Gdm.Training.Network;

namespace Gdm.Tests.Training;

/// <summary>
/// Tests that train or run TorchSharp share libtorch's global generator, so they run one at a time, and on one
/// intra-op thread: with the rest of the suite running beside them, two threads were seen to change the order of
/// floating-point reductions between an uninterrupted and a resumed run (a 3e-4 difference in a weight).
/// </summary>
[CollectionDefinition(Name)]
public sealed class TorchCollection : ICollectionFixture<OneTorchThread>
{
    public const string Name = "TorchSharp";
}

public sealed class OneTorchThread
{
    public OneTorchThread() => TorchThreads.Configure(1);
}
