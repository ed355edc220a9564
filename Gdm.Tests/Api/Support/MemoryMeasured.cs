namespace Gdm.Tests.Api.Support;

/// <summary>Tests that measure the process's working set run alone, so another test's allocations do not count as theirs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasured
{
    public const string Name = "memory measured";
}
