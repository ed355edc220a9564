using Gdm.Core;
using Gdm.Training.Data;

namespace Gdm.Training.Training;

/// <summary>
/// Per-group loss weights w_g = 1 / E[(eps - y)^2] = 1 / (1 + E[y^2]) over the group's coefficients, estimated on
/// the first images of the data set. In DCT coordinates the energy is very uneven (the DC term of a 28x28 image is
/// 28 times its mean pixel, E[(eps - y)^2] near 200, against about 1 for the finest band), so the unweighted loss is
/// dominated by the coarse groups and the fine groups barely learn (measured: after 500 steps the fine bands were
/// still noise). Weighting each group's squared error by its target scale gives every group an O(1) loss. It does
/// not move the optimum: each coefficient's target E[eps - y | y_t] is minimised separately whatever its weight.
/// </summary>
public static class GroupLossWeights
{
    public const int SampleImages = 2048;

    public static float[] Estimate(ImageDataSet data, GdmProcess process)
    {
        var d = data.Shape.Size;
        var count = Math.Min(SampleImages, data.Count);
        var sums = new double[process.Grouping.Count];
        var pixels = new float[d];
        var coefficients = new float[d];
        for (var n = 0; n < count; n++)
        {
            data.CopyScaled(n, pixels);
            process.Transform.Forward(pixels, coefficients);
            for (var i = 0; i < d; i++)
                sums[process.Grouping.GroupOf(i)] += (double)coefficients[i] * coefficients[i];
        }

        return process.Grouping.Groups
            .Select(g => (float)(1.0 / (1.0 + sums[g.Index] / ((double)count * g.Size))))
            .ToArray();
    }
}
