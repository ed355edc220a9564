using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gdm.Tests.Api.Explorer;

/// <summary>What the page shows as the current image changes: the breadcrumb after Back, the strips and choices that belong to the image, the phone layout with long names.</summary>
[Collection(ExplorerBrowser.Collection)]
public sealed class ExplorerNavigationTests(ExplorerBrowser browser)
{
    [Fact]
    public async Task Back_to_the_parent_shows_the_parents_breadcrumb_not_the_child_it_left()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        await ui.NewGridAsync(1, 9100);
        var parent = await ui.OpenTileAsync(0);
        await ui.Row(3).GetByTestId("level-redraw").ClickAsync();
        await ui.NextRecipeAsync();
        await Expect(page.GetByTestId("crumb")).ToHaveTextAsync("seed 9100");

        await page.GoBackAsync();
        var back = await ui.NextRecipeAsync();

        Assert.Equal(parent.ToJsonString(), back.ToJsonString());
        // restore() lets setCurrent push the image it leaves onto state.trail, the same array it then keeps as the trail.
        await Expect(page.GetByTestId("crumb")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("breadcrumb")).ToHaveTextAsync("seed 9100");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_traverse_strip_of_another_image_is_not_offered_under_the_new_current_image()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        await ui.NewGridAsync(2, 9200);
        await ui.OpenTileAsync(0);
        await page.GetByTestId("traverse").ClickAsync();
        await Expect(page.GetByTestId("traverse-frame")).ToHaveCountAsync(5);

        await ui.Tiles.Nth(1).Locator(".tile-open").ClickAsync();
        await Expect(page.Locator("#detail-caption")).ToHaveTextAsync("seed 9201");

        // Left in place, a frame of seed 9200 clicked now becomes current with seed 9201 on its breadcrumb as its parent.
        await Expect(page.GetByTestId("traverse-frame")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_chosen_image_to_interpolate_to_stays_chosen_when_the_current_image_changes()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        await ui.NewGridAsync(3, 9300);
        await ui.OpenTileAsync(0);
        var other = page.GetByTestId("interpolate-other");
        await other.SelectOptionAsync(new SelectOptionValue { Label = "seed 9302" });

        await ui.Row(3).GetByTestId("level-redraw").ClickAsync();
        await ui.NextRecipeAsync();

        // refreshOthers keeps the option's index, which now names seed 9301.
        await Expect(other.Locator("option:checked")).ToHaveTextAsync("seed 9302");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_long_file_name_on_the_breadcrumb_does_not_widen_the_page_at_phone_width()
    {
        var page = await browser.OpenAsync(browser.Address, width: 375, height: 800);
        var ui = new ExplorerPage(page);
        await ui.NewGridAsync(1, 9400);
        var src = await ui.Tiles.Nth(0).Locator("img").GetAttributeAsync("src");
        var png = Convert.FromBase64String(src!.Split(',')[1]);
        await page.GetByTestId("upload-input").SetInputFilesAsync(new FilePayload
        {
            Name = "holiday_photos_2024_summer_trip_to_the_mountains_with_the_family_final_v2.png", MimeType = "image/png", Buffer = png,
        });
        await Expect(page.Locator("#detail-caption")).ToHaveTextAsync(new Regex("^from holiday"));
        await ui.RecipeAsync();
        await ui.Row(5).GetByTestId("level-redraw").ClickAsync();
        await ui.NextRecipeAsync();
        await Expect(page.GetByTestId("crumb")).ToHaveCountAsync(1);

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"the page is {widths[0]} px wide in a {widths[1]} px viewport");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task After_an_upload_that_failed_an_edit_says_to_open_an_image_first()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        await Expect(page.Locator("body[data-ready]")).ToHaveCountAsync(1);

        await page.GetByTestId("upload-input").SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "not an image"u8.ToArray() });
        await Expect(ui.DetailStatus).ToContainTextAsync("notes.txt");
        await page.GetByTestId("traverse").ClickAsync();

        await Expect(ui.DetailStatus).ToHaveTextAsync("open an image first: a tile, a history entry or an upload");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_lock_and_a_strength_set_on_the_current_image_survive_a_reload()
    {
        var page = await browser.OpenAsync(browser.Address);
        var ui = new ExplorerPage(page);
        await ui.NewGridAsync(1, 9500);
        await ui.OpenTileAsync(0);

        // Each change replaces the page's address (and its permalink) in place: wait for each.
        var opened = page.Url;
        await ui.Row(2).GetByTestId("level-lock").CheckAsync();
        await page.WaitForFunctionAsync("before => location.href !== before", opened);
        var locked = page.Url;
        await ui.Row(4).GetByTestId("level-strength").FillAsync("0.25");
        await page.WaitForFunctionAsync("before => location.href !== before", locked);
        await Expect(page.GetByTestId("permalink")).ToHaveAttributeAsync("href", page.Url);
        await page.ReloadAsync();

        await Expect(ui.Row(2).GetByTestId("level-lock")).ToBeCheckedAsync();
        await Expect(ui.Row(4).GetByTestId("level-strength")).ToHaveValueAsync("0.25");
        await page.Context.CloseAsync();
    }
}
