namespace Gdm.Api.Hosting;

public static class LevelExplorer
{
    /// <summary>
    /// The level explorer: the page in wwwroot (plain HTML, CSS and ES modules, no build step) at GET /. Served with
    /// no-cache, so a browser asks again (and gets 304) instead of running an old page against a newer service.
    /// </summary>
    public static WebApplication UseGdmLevelExplorer(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
