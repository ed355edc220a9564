namespace Gdm.Core.Latents;

/// <summary>A problem with one member of a request, named by its JSON path ("source.recipe.noise[2].seed").</summary>
public sealed record FieldError(string Path, string Message)
{
    public static string Join(string prefix, string member) =>
        prefix.Length == 0 ? member : member.StartsWith('[') ? prefix + member : $"{prefix}.{member}";
}
