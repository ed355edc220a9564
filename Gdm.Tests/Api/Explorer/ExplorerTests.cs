using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static Microsoft.Playwright.Assertions;

namespace Gdm.Tests.Api.Explorer;

/// <summary>The level explorer page in Chromium against the service on the test model.</summary>
[Collection(ExplorerBrowser.Collection)]
public sealed class ExplorerTests(ExplorerBrowser browser)
{
    [Fact]
    public async Task The_page_is_served_at_the_root_and_the_grid_fills_over_server_sent_events()
    {
        var page = await browser.OpenAsync(browser.Address);
        var followed = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/events", StringComparison.Ordinal))
                followed.Add(request.Url);
        };
        var ui = new ExplorerPage(page);
        await Expect(page).ToHaveTitleAsync("GDM level explorer");

        await ui.NewGridAsync(4, 1000);

        for (var i = 0; i < 4; i++)
        {
            var tile = ui.Tiles.Nth(i);
            await Expect(tile.Locator("img")).ToHaveAttributeAsync("src", new Regex("^data:image/png;base64,"));
            await Expect(tile.GetByTestId("tile-status")).ToHaveTextAsync($"seed {1000 + i}");
        }

        Assert.Equal(4, followed.Distinct().Count());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_grid_left_on_the_model_default_sampler_names_none_and_gets_the_models_default()
    {
        var page = await browser.OpenAsync(browser.Address);
        var posted = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/v1/jobs", StringComparison.Ordinal))
                posted.Add(request.PostData ?? "");
        };
        var ui = new ExplorerPage(page);
        var sampler = page.Locator("#grid-sampler");
        await Expect(sampler).ToHaveValueAsync("");
        // The test model's manifest names no default sampler: euler is the default then.
        await Expect(sampler.Locator("option").First).ToHaveTextAsync("model default (euler)");

        await page.Locator("#grid-steps").FillAsync("2");
        await page.Locator("#grid-count").FillAsync("1");
        await page.Locator("#grid-seed").FillAsync("77");
        await page.GetByTestId("new-grid").ClickAsync();
        await Expect(page.Locator("[data-testid=tile][data-state=done]")).ToHaveCountAsync(1);
        var recipe = await ui.OpenTileAsync(0);

        var body = JsonNode.Parse(Assert.Single(posted))!.AsObject();
        Assert.False(body["samples"]!.AsObject().ContainsKey("sampler"), $"the grid named a sampler: {body.ToJsonString()}");
        Assert.Equal("euler", recipe["sampler"]!.GetValue<string>());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Redrawing_one_level_changes_only_that_levels_noise_and_keeps_the_parent_on_the_breadcrumb()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        await ui.NewGridAsync(1, 2000);
        var before = await ui.OpenTileAsync(0);
        await Expect(page.GetByTestId("level-row")).ToHaveCountAsync(6);

        await ui.Row(3).GetByTestId("level-redraw").ClickAsync();
        var after = await ui.NextRecipeAsync();

        var (old, now) = (ExplorerPage.NoiseOf(before), ExplorerPage.NoiseOf(after));
        for (var g = 0; g < old.Length; g++)
        {
            if (g == 3)
                Assert.NotEqual(old[g], now[g]);
            else
                Assert.Equal(old[g], now[g]);
        }

        Assert.Single(after["noise"]![3]!["redraws"]!.AsArray());
        Assert.Equal(3, after["prefix"]!["fromGroup"]!.GetValue<int>());
        await Expect(page.GetByTestId("crumb")).ToHaveTextAsync("seed 2000");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Redraw_unlocked_makes_candidates_that_keep_the_locked_levels_and_the_breadcrumb_leads_back()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        await ui.NewGridAsync(1, 3000);
        var before = await ui.OpenTileAsync(0);
        foreach (var g in new[] { 0, 1, 2 })
            await ui.Row(g).GetByTestId("level-lock").CheckAsync();
        await page.Locator("#candidate-count").FillAsync("3");

        await page.GetByTestId("preset-subtle").ClickAsync();
        await Expect(page.GetByTestId("candidate")).ToHaveCountAsync(3);
        await page.GetByTestId("candidate").Nth(1).ClickAsync();
        var after = await ui.NextRecipeAsync();

        var (old, now) = (ExplorerPage.NoiseOf(before), ExplorerPage.NoiseOf(after));
        Assert.Equal(old[..3], now[..3]);
        for (var g = 3; g < old.Length; g++)
        {
            var redraw = Assert.Single(after["noise"]![g]!["redraws"]!.AsArray());
            Assert.Equal(0.5, redraw!["strength"]!.GetValue<double>());
        }

        await page.GetByTestId("crumb").ClickAsync();
        var back = await ui.NextRecipeAsync();
        Assert.Equal(before.ToJsonString(), back.ToJsonString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Picking_a_levels_source_mixes_that_level_and_the_later_ones_from_the_other_image()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        await ui.NewGridAsync(2, 6000);
        var other = await ui.OpenTileAsync(1);
        var current = await ui.OpenTileAsync(0);

        await ui.Row(2).GetByTestId("level-source").SelectOptionAsync(new SelectOptionValue { Label = "seed 6001" });
        var mixed = await ui.NextRecipeAsync();

        var (a, b, now) = (ExplorerPage.NoiseOf(current), ExplorerPage.NoiseOf(other), ExplorerPage.NoiseOf(mixed));
        Assert.Equal(a[..2], now[..2]);
        Assert.Equal(b[2..], now[2..]);
        Assert.Equal(2, mixed["prefix"]!["fromGroup"]!.GetValue<int>());
        await Expect(page.GetByTestId("crumb")).ToHaveTextAsync("seed 6000");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Traverse_shows_a_filmstrip_whose_frames_become_current()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        await ui.NewGridAsync(1, 4000);
        var before = await ui.OpenTileAsync(0);
        await page.Locator("#traverse-group").SelectOptionAsync("1");
        await page.Locator("#traverse-frames").FillAsync("4");

        await page.GetByTestId("traverse").ClickAsync();
        await Expect(page.GetByTestId("traverse-frame")).ToHaveCountAsync(4);
        await page.GetByTestId("traverse-frame").Nth(3).ClickAsync();
        var frame = await ui.NextRecipeAsync();

        Assert.NotNull(frame["latent"]);
        Assert.Equal(1, frame["prefix"]!["fromGroup"]!.GetValue<int>());
        Assert.Equal(before.ToJsonString(), frame["prefix"]!["source"]!.ToJsonString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Interpolate_posts_an_interpolate_job_from_the_chosen_level_and_shows_its_frames()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        await ui.NewGridAsync(2, 7000);
        var a = await ui.OpenTileAsync(0);
        await page.GetByTestId("interpolate-other").SelectOptionAsync(new SelectOptionValue { Label = "seed 7001" });
        await page.Locator("#interpolate-group").SelectOptionAsync("2");
        await page.Locator("#interpolate-frames").FillAsync("3");

        var posted = await page.RunAndWaitForRequestAsync(
            () => page.GetByTestId("interpolate").ClickAsync(), r => r.Method == "POST" && r.Url.EndsWith("/v1/jobs", StringComparison.Ordinal));
        await Expect(page.GetByTestId("interpolate-frame")).ToHaveCountAsync(3);

        var job = JsonNode.Parse(posted.PostData!)!["interpolate"]!;
        Assert.Equal(a.ToJsonString(), job["sources"]![0]!["recipe"]!.ToJsonString());
        Assert.Equal(7001UL, job["sources"]![1]!["recipe"]!["noise"]![0]!["seed"]!.GetValue<ulong>());
        Assert.Equal(2, job["fromGroup"]!.GetValue<int>());
        Assert.Equal(3, job["frames"]!.GetValue<int>());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_downloaded_png_uploaded_again_restores_its_recipe()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        await ui.NewGridAsync(1, 8000);
        await ui.OpenTileAsync(0);
        await ui.Row(4).GetByTestId("level-redraw").ClickAsync();
        var made = await ui.NextRecipeAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-png").ClickAsync());
        await using var file = await download.CreateReadStreamAsync();
        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes);

        var fresh = await browser.OpenAsync(browser.Address);
        var read = await fresh.RunAndWaitForResponseAsync(
            () => fresh.GetByTestId("upload-input").SetInputFilesAsync(new FilePayload { Name = "made.png", MimeType = "image/png", Buffer = bytes.ToArray() }),
            r => r.Url.EndsWith("/v1/recipes/read", StringComparison.Ordinal));
        await Expect(fresh.Locator("#detail-caption")).ToHaveTextAsync("from made.png");

        Assert.Equal(200, read.Status);
        Assert.Equal(made.ToJsonString(), (await new ExplorerPage(fresh).RecipeAsync()).ToJsonString());
        await page.Context.CloseAsync();
        await fresh.Context.CloseAsync();
    }

    [Fact]
    public async Task A_dropped_image_without_a_recipe_is_encoded_with_its_psnr_shown_and_then_edited()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        var png = Convert.ToBase64String(Garment());
        await page.EvaluateAsync(
            """
            base64 => {
              const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
              const data = new DataTransfer();
              data.items.add(new File([bytes], 'garment.png', { type: 'image/png' }));
              document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
            }
            """,
            png);

        await Expect(page.Locator("#detail-caption")).ToHaveTextAsync(new Regex(@"upload garment\.png · encoded at \d+\.\d\d dB PSNR"));
        var encoded = await ui.RecipeAsync();
        Assert.NotNull(encoded["latent"]);
        await ui.Row(5).GetByTestId("level-redraw").ClickAsync();
        var varied = await ui.NextRecipeAsync();
        Assert.Equal(5, varied["prefix"]!["fromGroup"]!.GetValue<int>());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_permalink_restores_the_page_after_a_reload_back_returns_to_the_parent_and_replay_matches_the_bytes()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        await ui.NewGridAsync(1, 5000);
        var parent = await ui.OpenTileAsync(0);
        await ui.Row(4).GetByTestId("level-lock").CheckAsync();
        await page.GetByTestId("traverse").ClickAsync();
        await page.GetByTestId("traverse-frame").Nth(0).ClickAsync();
        var child = await ui.NextRecipeAsync();
        var image = await page.GetByTestId("detail-image").GetAttributeAsync("src");

        await page.ReloadAsync();
        await Expect(page.GetByTestId("detail-image")).ToHaveAttributeAsync("src", image!);
        Assert.Equal(child.ToJsonString(), (await ui.RecipeAsync()).ToJsonString());
        await Expect(ui.Row(4).GetByTestId("level-lock")).ToBeCheckedAsync();
        await Expect(page.GetByTestId("crumb")).ToHaveTextAsync("seed 5000");

        await page.GetByTestId("replay").ClickAsync();
        await Expect(page.GetByTestId("replay-result")).ToHaveTextAsync(new Regex("^bytes match"));

        await page.GoBackAsync();
        var back = await ui.NextRecipeAsync();
        Assert.Equal(parent.ToJsonString(), back.ToJsonString());
        await page.Context.CloseAsync();
    }

    // A light garment on black, as the model's images are, as a PNG without a recipe.
    private static byte[] Garment()
    {
        using var image = new Image<L8>(28, 28);
        for (var y = 4; y < 24; y++)
            for (var x = 7; x < 21; x++)
                image[x, y] = new L8((byte)(150 + 4 * (y - 4)));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
