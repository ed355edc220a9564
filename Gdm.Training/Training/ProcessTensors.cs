using Gdm.Core;
using Gdm.Core.Transforms;
using Gdm.Training.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Gdm.Training.Training;

/// <summary>
/// Core's GdmProcess seen through tensors: the transform as matrices built from DctTransform.BasisMatrix and the
/// per-group schedule values gathered to every coefficient with GroupOfEachCoefficient. No math of its own: the
/// noise levels, masks and causal-input rule are Core's, evaluated per item in double.
/// </summary>
public sealed class ProcessTensors : IDisposable
{
    private readonly Tensor? _heightBasis, _widthBasisTransposed;   // D_H [H, H] and D_W^T [W, W]
    private readonly Tensor? _heightBasisTransposed, _widthBasis;
    private readonly Tensor _groupIndex;                              // [d] long: group of each coefficient

    public ProcessTensors(GdmProcess process, Device device)
    {
        ArgumentNullException.ThrowIfNull(process);
        Process = process;
        Device = device;
        var shape = process.Shape;
        if (process.Transform.Kind == TransformKind.Dct)
        {
            _heightBasis = Basis(shape.Height, device);
            _heightBasisTransposed = _heightBasis.t().contiguous();
            _widthBasis = Basis(shape.Width, device);
            _widthBasisTransposed = _widthBasis.t().contiguous();
        }

        var groups = process.Grouping.GroupOfEachCoefficient.ToArray().Select(g => (long)g).ToArray();
        _groupIndex = Tensors.Copy(groups, [groups.Length], device);
    }

    public GdmProcess Process { get; }

    public Device Device { get; }

    public ImageShape Shape => Process.Shape;

    /// <summary>y = T x per channel: D_H X D_W^T on [B, C, H, W].</summary>
    public Tensor ToCoefficients(Tensor pixels) => Apply(pixels, _heightBasis, _widthBasisTransposed);

    /// <summary>x = T^T y per channel: D_H^T Y D_W on [B, C, H, W].</summary>
    public Tensor ToPixels(Tensor coefficients) => Apply(coefficients, _heightBasisTransposed, _widthBasis);

    /// <summary>
    /// Per item and coefficient ([B, C, H, W] each): the noise level a_g(t), the loss mask (group active at t) and
    /// the input mask (0 where causal-input hides a group that has not started, else 1).
    /// </summary>
    public (Tensor Levels, Tensor Active, Tensor Visible) ScheduleAt(IReadOnlyList<float> times)
    {
        var schedule = Process.Schedule;
        int batch = times.Count, groups = schedule.Count;
        var levels = new float[batch * groups];
        var active = new float[batch * groups];
        var visible = new float[batch * groups];
        for (var b = 0; b < batch; b++)
        {
            double t = times[b];
            for (var g = 0; g < groups; g++)
            {
                levels[b * groups + g] = (float)schedule.NoiseLevel(g, t);
                active[b * groups + g] = schedule.IsActive(g, t) ? 1f : 0f;
                visible[b * groups + g] = Process.CausalInput && schedule.NotStarted(g, t) ? 0f : 1f;
            }
        }

        return (Gather(levels, batch, groups), Gather(active, batch, groups), Gather(visible, batch, groups));
    }

    /// <summary>Sums of a [B, C, H, W] tensor over the batch and over each group's coefficients: [K].</summary>
    public Tensor SumPerGroup(Tensor values)
    {
        var perCoefficient = values.reshape(values.shape[0], -1).sum([0]);
        using var sums = zeros(new long[] { Process.Grouping.Count }, dtype: perCoefficient.dtype, device: Device);
        return sums.index_add(0, _groupIndex, perCoefficient, 1);
    }

    /// <summary>A per-group value spread over every coefficient: [1, C, H, W], for broadcasting against a batch.</summary>
    public Tensor PerCoefficient(float[] perGroup) => Gather(perGroup, 1, Process.Grouping.Count);

    public void Dispose()
    {
        _heightBasis?.Dispose();
        _heightBasisTransposed?.Dispose();
        _widthBasis?.Dispose();
        _widthBasisTransposed?.Dispose();
        _groupIndex.Dispose();
    }

    private Tensor Gather(float[] perGroup, int batch, int groups)
    {
        using var table = Tensors.Copy(perGroup, [batch, groups], Device);
        return table.index_select(1, _groupIndex).reshape(batch, Shape.Channels, Shape.Height, Shape.Width);
    }

    private Tensor Apply(Tensor images, Tensor? left, Tensor? right)
    {
        // TorchSharp matmul aborts the process on a shape mismatch: check before calling it.
        if (images.dim() != 4 || images.shape[1] != Shape.Channels || images.shape[2] != Shape.Height || images.shape[3] != Shape.Width)
            throw new ArgumentException($"expected images [B, {Shape.Channels}, {Shape.Height}, {Shape.Width}], got [{string.Join(", ", images.shape)}]");
        if (left is null || right is null)
            return images.alias();
        var rows = matmul(left, images);
        return matmul(rows, right);
    }

    private static Tensor Basis(int n, Device device)
    {
        var values = DctTransform.BasisMatrix(n).Select(v => (float)v).ToArray();
        return Tensors.Copy(values, [n, n], device);
    }
}
