namespace Gdm.Api.Inference;

/// <summary>Finds the configured model folder and the model folders inside it.</summary>
public static class ModelFolder
{
    /// <summary>
    /// An absolute folder as is; a relative one under the content root, else under the nearest ancestor that has it
    /// (the content root of `dotnet run --project Gdm.Api` is Gdm.Api/, the models live beside it at the root).
    /// </summary>
    public static string Resolve(string folder, string contentRoot)
    {
        if (Path.IsPathRooted(folder))
            return folder;
        for (var directory = new DirectoryInfo(contentRoot); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, folder);
            if (Directory.Exists(candidate))
                return candidate;
        }

        return Path.GetFullPath(Path.Combine(contentRoot, folder));
    }

    /// <summary>The folder itself when it holds a manifest, else each subfolder that holds one.</summary>
    public static IReadOnlyList<string> ModelDirectories(string root)
    {
        if (!Directory.Exists(root))
            return [];
        if (File.Exists(Path.Combine(root, Gdm.Core.Models.ModelManifest.FileName)))
            return [root];
        return Directory.GetDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, Gdm.Core.Models.ModelManifest.FileName)))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }
}
