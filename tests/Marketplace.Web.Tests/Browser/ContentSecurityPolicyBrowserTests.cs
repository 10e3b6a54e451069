using Microsoft.Playwright;

namespace Marketplace.Web.Tests.Browser;

/// <summary>
/// Under the Content-Security-Policy (no inline script, no style attribute) the pages still behave: the decision
/// report's bars get their widths, the proposal form adds milestone rows, a confirmation is asked, and Chromium
/// reports no violation of the policy on the way.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ContentSecurityPolicyBrowserTests(BrowserFixture browser)
{
    private static List<string> WatchForViolations(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        return violations;
    }

    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/signin");
        await page.FillAsync("#Email", email);
        await page.FillAsync("#Password", Infrastructure.MarketplaceFactory.TestPassword);
        await page.ClickAsync("form button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    [Fact]
    public async Task DecisionReportBars_GetTheirWidths_WithoutAViolation()
    {
        var page = await browser.NewPageAsync();
        var violations = WatchForViolations(page);
        await SignInAsync(page, "enterprise@test.example");
        await page.GotoAsync("/challenges");
        await page.ClickAsync("text=冷轧带钢表面缺陷在线检测");
        await page.WaitForSelectorAsync("[data-testid=suggested-vendors]");

        var widths = await page.EvalOnSelectorAllAsync<string[]>(".contribution-bar", "bars => bars.map(b => b.style.width)");
        Assert.NotEmpty(widths);
        Assert.All(widths, width => Assert.EndsWith("%", width, StringComparison.Ordinal));
        Assert.Contains(widths, width => width != "0%");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task ProposalForm_AddsAMilestoneRow_AndAsksBeforeAWithdrawal_WithoutAViolation()
    {
        var page = await browser.NewPageAsync();
        var violations = WatchForViolations(page);
        await SignInAsync(page, "vendor2@test.example");
        await page.GotoAsync("/challenges");
        await page.ClickAsync("text=冷轧带钢表面缺陷在线检测");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var challengeUrl = new Uri(page.Url).AbsolutePath;
        await page.GotoAsync(challengeUrl + "/proposals/new");

        var before = await page.Locator("tr.milestone-row").CountAsync();
        await page.ClickAsync("#add-milestone");
        Assert.Equal(before + 1, await page.Locator("tr.milestone-row").CountAsync());

        // The confirmation that used to be an inline onsubmit: dismissing it keeps the form from being sent.
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        await page.EvaluateAsync("""
            () => {
              const form = document.createElement("form");
              form.method = "post";
              form.action = "/nowhere";
              form.dataset.confirm = "Sure?";
              form.appendChild(document.createElement("button"));
              document.body.appendChild(form);
              form.querySelector("button").click();
            }
            """);
        await page.WaitForTimeoutAsync(300);
        // Asked once: site.js and forms.js both used to ask, so a form-level confirmation came twice.
        Assert.Equal("Sure?", Assert.Single(asked));
        Assert.EndsWith("/proposals/new", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        Assert.Empty(violations);
    }
}
