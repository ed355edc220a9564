namespace Gdm.Core.Transforms;

public static class OrthogonalTransform
{
    public static IOrthogonalTransform Create(TransformKind kind, ImageShape shape) => kind switch
    {
        TransformKind.Identity => new IdentityTransform(shape),
        TransformKind.Dct => new DctTransform(shape),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown transform"),
    };

    public static TransformKind Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "identity" or "pixels" => TransformKind.Identity,
        "dct" => TransformKind.Dct,
        _ => throw new FormatException($"transform '{name}' is not known: use identity or dct"),
    };

    public static string Name(TransformKind kind) => kind switch
    {
        TransformKind.Identity => "identity",
        TransformKind.Dct => "dct",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    internal static int BatchOf(ImageShape shape, int length, string what)
    {
        if (length % shape.Size != 0)
            throw new ArgumentException($"{what} holds {length} values, not a whole number of {shape} images");
        return length / shape.Size;
    }
}
