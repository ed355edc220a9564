namespace Gdm.Api.Hosting;

/// <summary>
/// The content root is the application's own folder (where Gdm.Api.dll and appsettings.json are), not the working
/// directory: `dotnet run`, the built dll started from anywhere and the container all read the same appsettings.json,
/// and a relative Models:Folder is looked up from there (ModelFolder.Resolve walks up to the repository's models/).
/// A content root given explicitly (--contentRoot, or DOTNET_/ASPNETCORE_CONTENTROOT) still wins.
/// </summary>
public static class HostFolders
{
    public static WebApplicationOptions Options(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var explicitRoot = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase) || a.StartsWith("/contentRoot", StringComparison.OrdinalIgnoreCase))
                           || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"))
                           || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"));
        return new WebApplicationOptions { Args = args, ContentRootPath = explicitRoot ? null : AppContext.BaseDirectory };
    }
}
