using Microsoft.Playwright;

namespace Marketplace.Web.Tests.Browser;

/// <summary>A vendor's and an enterprise's first day, in a real browser.</summary>
[Collection(BrowserTests.Name)]
public sealed class AccountAndMatchingBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task NewVendor_RegistersThroughTheForm_AndIsSignedIn()
    {
        var page = await browser.NewPageAsync();
        var email = $"founder.{Guid.NewGuid():N}"[..20] + "@newvendor.example";

        await page.GotoAsync("/account/register");
        await page.CheckAsync("#kind-vendor", new PageCheckOptions { Force = true });
        await page.FillAsync("#OrganisationName", "杭州新锐智能科技有限公司");
        await page.FillAsync("#DisplayName", "林晓");
        await page.FillAsync("#Email", email);
        await page.FillAsync("#Password", "Quite-Secure-2026");
        await page.FillAsync("#ConfirmPassword", "Quite-Secure-2026");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Contains("林晓", await page.InnerTextAsync("nav"), StringComparison.Ordinal);
        Assert.Contains("Sign out", await page.InnerTextAsync("nav"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_WithMismatchedPasswords_ShowsTheErrorBesideTheField()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/account/register");
        await page.CheckAsync("#kind-enterprise", new PageCheckOptions { Force = true });
        await page.FillAsync("#OrganisationName", "Some Plant Ltd");
        await page.FillAsync("#DisplayName", "Pat");
        await page.FillAsync("#Email", "pat@plant.example");
        await page.FillAsync("#Password", "Quite-Secure-2026");
        await page.FillAsync("#ConfirmPassword", "Different-2026!!");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Contains("/account/register", page.Url, StringComparison.Ordinal);
        Assert.True(await page.Locator(".is-invalid").CountAsync() > 0, "the mismatched field is marked");
    }

    [Fact]
    public async Task Enterprise_InvitesASuggestedVendor_FromTheDecisionReport()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/account/signin");
        await page.FillAsync("#Email", "enterprise@test.example");
        await page.FillAsync("#Password", Infrastructure.MarketplaceFactory.TestPassword);
        await page.ClickAsync("form button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.GotoAsync("/challenges");
        await page.ClickAsync("text=冷轧带钢表面缺陷在线检测");
        await page.WaitForSelectorAsync("[data-testid=suggested-vendors]");
        var first = page.Locator("[data-testid=suggestion]").First;

        Assert.Contains("Test Vision AI", await first.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await first.Locator(".contribution-bar").CountAsync() > 0, "the decision report shows contribution bars");
        await first.Locator("button", new LocatorLocatorOptions { HasTextString = "Invite" }).ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=latest-signal]");
        Assert.Equal("invited", await page.Locator("[data-testid=suggestion]").First.Locator("[data-testid=latest-signal]").InnerTextAsync());
    }
}
