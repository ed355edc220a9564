using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Gdm.Tests.Api.Explorer;

/// <summary>The level explorer as a test drives it: through its data-testid attributes, waiting on what the page shows.</summary>
public sealed class ExplorerPage(IPage page)
{
    private string _shown = "";

    public IPage Page { get; } = page;

    public ILocator Tiles => Page.GetByTestId("tile");

    public ILocator Recipe => Page.GetByTestId("recipe");

    public ILocator DetailStatus => Page.GetByTestId("detail-status");

    public ILocator Row(int group) => Page.Locator($"[data-testid=level-row][data-group=\"{group}\"]");

    /// <summary>
    /// Asks for a grid of count images from seed (euler, 2 steps per group: the tests check recipes and levels, not image
    /// quality, and every edit of these images runs as few steps) and waits until every tile holds its image.
    /// </summary>
    public async Task NewGridAsync(int count, long seed, bool waitForAll = true)
    {
        await Page.Locator("#grid-sampler").SelectOptionAsync("euler");
        await Page.Locator("#grid-steps").FillAsync("2");
        await Page.Locator("#grid-count").FillAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.Locator("#grid-seed").FillAsync(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByTestId("new-grid").ClickAsync();
        await Expect(Tiles).ToHaveCountAsync(count);
        if (waitForAll)
            await Expect(Page.Locator("[data-testid=tile][data-state=done]")).ToHaveCountAsync(count);
    }

    /// <summary>Makes tile i current and answers its recipe once the detail view shows it.</summary>
    public async Task<JsonObject> OpenTileAsync(int index)
    {
        await Tiles.Nth(index).Locator(".tile-open").ClickAsync();
        await Expect(Page.GetByTestId("detail-image")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^data:image/png"));
        return await RecipeAsync();
    }

    /// <summary>The recipe the panel shows now.</summary>
    public async Task<JsonObject> RecipeAsync()
    {
        _shown = await Recipe.TextContentAsync() ?? "";
        return JsonNode.Parse(_shown)!.AsObject();
    }

    /// <summary>Waits until the recipe panel shows another recipe than the one RecipeAsync last read, and answers it.</summary>
    public async Task<JsonObject> NextRecipeAsync()
    {
        await Page.WaitForFunctionAsync("before => document.querySelector('[data-testid=recipe]').textContent !== before", _shown);
        return await RecipeAsync();
    }

    /// <summary>Each group's noise entry of a recipe (seed and redraws) as JSON text, for comparing levels.</summary>
    public static string[] NoiseOf(JsonObject recipe) =>
        recipe["noise"]!.AsArray().Select(n => n!.ToJsonString()).ToArray();
}
