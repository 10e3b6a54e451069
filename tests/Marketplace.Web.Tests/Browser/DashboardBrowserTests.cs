using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;
using Microsoft.Playwright;

namespace Marketplace.Web.Tests.Browser;

/// <summary>The officer's dashboard in a real browser: Chart.js draws the funnel, and nothing goes wrong in the console.</summary>
[Collection(BrowserTests.Name)]
public sealed class DashboardBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task OfficerSignsIn_LandsOnTheDashboard_WhereChartJsDrawsTheFunnel_WithoutConsoleErrors()
    {
        var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            // The site has no favicon (the browser asks for one on every site); that 404 is not the dashboard's.
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                problems.Add($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.RequestFailed += (_, request) => problems.Add("request failed: " + request.Url);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                problems.Add($"{response.Status}: {response.Url}");
            }
        };

        await page.GotoAsync("/account/signin");
        await page.FillAsync("#Email", ProposalTestKit.Officer);
        await page.FillAsync("#Password", MarketplaceFactory.TestPassword);
        await page.ClickAsync("form button[type=submit]");
        await page.WaitForURLAsync("**/dashboard");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var canvas = page.Locator("canvas#officer-funnel");
        Assert.Equal(1, await canvas.CountAsync());
        // Chart.js registered a chart on the canvas and gave it a size; the data island's labels are the chart's.
        Assert.True(await page.EvaluateAsync<bool>("() => typeof Chart !== 'undefined' && Chart.getChart(document.getElementById('officer-funnel')) !== undefined"));
        var labels = await page.EvaluateAsync<string[]>("() => Chart.getChart(document.getElementById('officer-funnel')).data.labels");
        Assert.Equal(["Submitted", "Published", "With bids", "Reviewed", "Awarded", "Delivered", "Failed"], labels);
        var box = await canvas.BoundingBoxAsync();
        Assert.True(box is { Width: > 100, Height: > 100 }, $"the canvas is {box?.Width}×{box?.Height}");
        // The same numbers are there as a table.
        Assert.Equal(7, await page.Locator("[data-testid=chart-table-officer-funnel] tbody tr").CountAsync());
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        if (Environment.GetEnvironmentVariable("MARKETPLACE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "dashboard-officer-en.png"), FullPage = true });
        }
    }
}
