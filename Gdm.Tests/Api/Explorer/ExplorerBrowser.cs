using Gdm.Tests.Api.Support;
using Microsoft.Playwright;

namespace Gdm.Tests.Api.Explorer;

/// <summary>
/// One headless Chromium (Debian's package, driven by Playwright; Playwright's own browser download is never used)
/// and one service on Kestrel for every level-explorer test. Each test opens its own browser context, so pages share
/// no storage; tests that need other engine settings start their own service.
/// </summary>
public sealed class ExplorerBrowser : IAsyncLifetime
{
    public const string Collection = "level explorer in a browser";

    /// <summary>Where Debian's chromium package puts the browser.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public GdmApiFactory Service { get; } = new();

    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser has not started");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (apt-get install chromium; .ci/run does)");
        // Generous waits: CI shares two cores with other work, and a wait ends as soon as the page shows what it waits for.
        Assertions.SetDefaultExpectTimeout(120_000);
        Address = Service.StartKestrel();
        await Service.Catalog.WhenReady.WaitAsync(TimeSpan.FromSeconds(60));
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A page of a fresh browser context (its own local storage) at the given service, 1280 px wide.</summary>
    public async Task<IPage> OpenAsync(Uri address, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => Console.Error.WriteLine($"page error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                Console.Error.WriteLine($"page console: {message.Text}");
        };
        await page.GotoAsync(address.ToString());
        await page.Locator("body[data-ready]").WaitForAsync();
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        _playwright?.Dispose();
        await Service.DisposeAsync();
    }
}

[CollectionDefinition(ExplorerBrowser.Collection)]
public sealed class ExplorerBrowserCollection : ICollectionFixture<ExplorerBrowser>;
