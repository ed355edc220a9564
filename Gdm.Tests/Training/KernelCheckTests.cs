using Gdm.Core;
using Gdm.Training.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Gdm.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class KernelCheckTests
{
    private static readonly ImageShape Shape = new(3, 8, 8);

    [Fact]
    public void The_tiny_network_passes_bit_identically_and_agrees_with_the_native_kernels()
    {
        manual_seed(3);
        using var network = new UNet(Shape, TinyRun.Network);
        using var x = randn(2, 3, 8, 8);
        using var times = tensor(new[] { 0.2f, 0.7f });
        var before = OneDnn.Enabled;

        var found = KernelCheck.Run(network, x, times, passes: 5);

        Assert.Equal(5, found.Passes);
        Assert.Equal(0, found.NotFinite);
        Assert.Equal(0, found.Differing);
        Assert.Equal(0, found.MaxDifference);
        Assert.InRange(found.NativeDifference, 0, 1e-4);
        Assert.True(found.Clean);
        Assert.Equal(before, OneDnn.Enabled);
    }

    [Fact]
    public void A_pass_that_differs_or_is_not_finite_is_counted()
    {
        using var flaky = new FlakyNetwork();
        using var x = ones(2, 3, 8, 8);
        using var times = tensor(new[] { 0.5f, 0.5f });

        var found = KernelCheck.Run(flaky, x, times, passes: 6);

        // Calls 0 (native reference) and 1 (first) are clean; of passes 1..6 (calls 2..7) every third call is NaN
        // and every other one is scaled.
        Assert.Equal(6, found.Passes);
        Assert.Equal(2, found.NotFinite);
        Assert.Equal(2, found.Differing);
        Assert.True(found.MaxDifference > 0);
        Assert.False(found.Clean);
    }

    /// <summary>A stand-in for a faulty kernel: a weight times x, where some calls return NaN or a changed result.</summary>
    private sealed class FlakyNetwork : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Parameter _weight = new(ones(1));
        private int _calls;

        public FlakyNetwork() : base(nameof(FlakyNetwork)) => RegisterComponents();

        public override Tensor forward(Tensor x, Tensor times)
        {
            var call = _calls++;
            var output = x * _weight;
            if (call >= 2 && call % 3 == 0)
                return output * float.NaN;
            return call >= 2 && call % 2 == 0 ? output * 1.5f : output;
        }
    }
}
