namespace Gdm.Core.Transforms;

/// <summary>
/// An orthogonal map T between pixels x and coefficients y = T x (T^T T = I), so x = T^T y.
/// Spans hold one image or a batch of images laid out one after another.
/// </summary>
public interface IOrthogonalTransform
{
    TransformKind Kind { get; }

    ImageShape Shape { get; }

    void Forward(ReadOnlySpan<float> pixels, Span<float> coefficients);

    void Inverse(ReadOnlySpan<float> coefficients, Span<float> pixels);
}
