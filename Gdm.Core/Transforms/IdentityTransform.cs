namespace Gdm.Core.Transforms;

public sealed class IdentityTransform(ImageShape shape) : IOrthogonalTransform
{
    public TransformKind Kind => TransformKind.Identity;

    public ImageShape Shape { get; } = shape;

    public void Forward(ReadOnlySpan<float> pixels, Span<float> coefficients) => Copy(pixels, coefficients);

    public void Inverse(ReadOnlySpan<float> coefficients, Span<float> pixels) => Copy(coefficients, pixels);

    private void Copy(ReadOnlySpan<float> from, Span<float> to)
    {
        OrthogonalTransform.BatchOf(Shape, from.Length, "input");
        if (to.Length != from.Length)
            throw new ArgumentException($"output holds {to.Length} values, input {from.Length}");
        from.CopyTo(to);
    }
}
