namespace Gdm.Tests.Api.Support;

/// <summary>The repository's models/ folder (the shipped default model), found above the test assembly.</summary>
public static class ShippedModels
{
    public static string Folder { get; } = Locate();

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Gdm.sln")) && Directory.Exists(Path.Combine(directory.FullName, "models")))
                return Path.Combine(directory.FullName, "models");
        throw new DirectoryNotFoundException("no models/ folder beside Gdm.sln above " + AppContext.BaseDirectory);
    }
}
