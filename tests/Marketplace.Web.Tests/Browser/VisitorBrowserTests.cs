using Microsoft.Playwright;

namespace Marketplace.Web.Tests.Browser;

/// <summary>What a first-time visitor does, in a real browser.</summary>
[Collection(BrowserTests.Name)]
public sealed class VisitorBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Visitor_FiltersTheChallengeList_AndOpensAChallenge()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/challenges");
        await page.SelectOptionAsync("#industry", "logistics");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/challenges?**industry=logistics**");
        var cards = page.Locator("[data-testid=challenge-list] article");

        Assert.Equal(2, await cards.CountAsync());
        await page.ClickAsync("text=Cold-chain route planning for 300 daily drops");
        await page.WaitForURLAsync("**/challenges/*");
        Assert.Contains("Kilometres driven", await page.Locator("[data-testid=acceptance-targets]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadlines_AreShownInTheViewersTimeZone()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/challenges");
        var deadline = page.Locator("time.local-time").First;

        // The server writes China time with "(UTC+8)"; the page script rewrites it for the browser's zone
        // (Europe/Berlin here) and keeps the server's text as the tooltip.
        Assert.DoesNotContain("UTC+8", await deadline.InnerTextAsync(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(await deadline.GetAttributeAsync("title")));
    }

    [Fact]
    public async Task Visitor_SwitchesTheInterfaceToChinese_AndItStaysChinese()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/");
        await page.ClickAsync("nav .dropdown-toggle");
        await page.ClickAsync("text=中文");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.GotoAsync("/vendors");

        Assert.Contains("AI 服务商名录", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
    }

    [Fact]
    public async Task FrontEndLibraries_AreServedFromTheNpmBuild()
    {
        var page = await browser.NewPageAsync();

        var response = await page.GotoAsync("/lib/bootstrap/css/bootstrap.min.css");

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
    }
}
