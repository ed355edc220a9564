using Gdm.Training.Network;
using Xunit;

namespace Gdm.Tests.Training;

public class NativeHeapTests
{
    [Fact]
    public void Glibc_accepts_the_thresholds_that_keep_freed_tensor_buffers_mapped()
    {
        if (!OperatingSystem.IsLinux())
            Assert.False(NativeHeap.KeepFreedBlocks());
        else
            Assert.True(NativeHeap.KeepFreedBlocks(), "mallopt refused the thresholds: glibc's largest mmap threshold is 32 MiB");
    }
}
