using TorchSharp;
using static TorchSharp.torch;

namespace Gdm.Training.Network;

/// <summary>
/// Tensors that own a copy of managed values (torch.tensor(float[], shape) wraps the array instead), so a tensor
/// never aliases memory the C# side may reuse.
/// </summary>
public static class Tensors
{
    public static Tensor Copy(ReadOnlySpan<float> values, long[] shape, Device? device = null)
    {
        var result = empty(shape, ScalarType.Float32);
        result.data<float>().CopyFrom(values, 0, 0);
        return device is null || device.type == DeviceType.CPU ? result : Move(result, device);
    }

    public static Tensor Copy(ReadOnlySpan<long> values, long[] shape, Device? device = null)
    {
        var result = empty(shape, ScalarType.Int64);
        result.data<long>().CopyFrom(values, 0, 0);
        return device is null || device.type == DeviceType.CPU ? result : Move(result, device);
    }

    private static Tensor Move(Tensor cpu, Device device)
    {
        using (cpu)
            return cpu.to(device);
    }
}
