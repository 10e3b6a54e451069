using System.Net;
using System.Net.Http.Json;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Lifecycle;
using Marketplace.Web.Tests.Proposals;
using Microsoft.Playwright;

namespace Marketplace.Web.Tests.Browser;

/// <summary>
/// How forms feel in a real browser (wwwroot/js/forms.js, vendor-picker.js, the phone layout). It creates challenges,
/// so it has an application of its own rather than the collection's.
/// </summary>
public sealed class FormsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AFailedSave_FocusesTheErrorSummary_AndItsLinkFocusesTheField()
    {
        var page = await SignedInAsync(ProposalTestKit.Enterprise);
        await page.GotoAsync("/my/challenges/new");
        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForSelectorAsync("[data-error-summary]");

        Assert.True(await page.EvaluateAsync<bool>("document.activeElement.hasAttribute('data-error-summary')"), "the summary has the focus");
        await page.Locator("[data-error-summary] a[data-error-for='Title']").ClickAsync();
        Assert.Equal("Title", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.Equal("true", await page.GetAttributeAsync("#Title", "aria-invalid"));
        Assert.Equal("error-title", await page.GetAttributeAsync("#Title", "aria-describedby"));
    }

    [Fact]
    public async Task WhileAFormIsSent_ItsButtonIsDisabled_AndShowsASpinner()
    {
        var page = await SignedInAsync(ProposalTestKit.Enterprise);
        await page.GotoAsync("/my/challenges/new");
        // The server answers slowly, as a busy one does; Playwright cannot read the page while it navigates, so the page
        // itself notes what the button looked like once the spinner appeared (sessionStorage outlives the navigation).
        await page.RouteAsync("**/my/challenges/new", async route =>
        {
            if (route.Request.Method == "POST")
            {
                await Task.Delay(700);
            }

            await route.ContinueAsync();
        });
        await page.EvaluateAsync("""
            () => {
              const form = document.querySelector("main form");
              new MutationObserver(() => {
                const button = form.querySelector("button[type=submit]");
                if (button.querySelector("[data-testid=saving]")) {
                  sessionStorage.setItem("seen", JSON.stringify({ disabled: button.disabled, busy: button.getAttribute("aria-busy") }));
                }
              }).observe(form, { subtree: true, childList: true, attributes: true });
            }
            """);

        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForSelectorAsync("[data-error-summary]");

        Assert.Equal("""{"disabled":true,"busy":"true"}""", await page.EvaluateAsync<string?>("sessionStorage.getItem('seen')"));
        Assert.False(await page.Locator("main form button[type=submit]").IsDisabledAsync());
    }

    [Fact]
    public async Task Publish_AsksFirst_AndShowsTheResult()
    {
        var challenge = await SubmittedChallengeAsync("Press-line die wear prediction");
        var page = await SignedInAsync(ProposalTestKit.Officer);
        await page.GotoAsync($"/screening/challenges/{challenge}");
        var dialogs = new ConfirmationRecorder();
        var questions = dialogs.Questions;

        page.Dialog += dialogs.Dismiss;
        await page.ClickAsync("[data-testid=publish-form] button[type=submit]");
        Assert.Contains($"/screening/challenges/{challenge}", page.Url, StringComparison.Ordinal);
        page.Dialog -= dialogs.Dismiss;

        page.Dialog += dialogs.Accept;
        await page.ClickAsync("[data-testid=publish-form] button[type=submit]");
        await page.WaitForURLAsync("**/screening");
        page.Dialog -= dialogs.Accept;

        Assert.Equal(2, questions.Count);
        Assert.All(questions, q => Assert.StartsWith("Publish this challenge?", q, StringComparison.Ordinal));
        Assert.Equal("status", await page.GetAttributeAsync("[data-testid=message]", "role"));
        using var api = await browser.App.ApiClientAsync(null);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/challenges/{challenge}")).StatusCode);
    }

    [Fact]
    public async Task ThePartnerPicker_OffersRegisteredVendorsByName()
    {
        var challenge = await browser.App.ChallengeIdAsync(ProposalTestKit.StripChallenge);
        var page = await SignedInAsync(ProposalTestKit.Vendor);
        await page.GotoAsync($"/challenges/{challenge}/proposals/new");

        await page.Locator("#Partners_0").PressSequentiallyAsync("Routing");
        await page.WaitForSelectorAsync("#vendor-organisations option[value='Test Routing Labs']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

        Assert.Contains("ven-test-routes", await page.GetAttributeAsync("#vendor-organisations option[value='Test Routing Labs']", "label") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnAPhone_TheMenuIconIsDark_AndTheFiltersFoldAway()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseUrl, Locale = "en-US", ViewportSize = new ViewportSize { Width = 375, Height = 740 }, IsMobile = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/challenges");

        Assert.True(await page.Locator(".navbar-toggler").IsVisibleAsync());
        var icon = await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.navbar-toggler-icon')).backgroundImage");
        // Bootstrap's light navbar draws the icon in rgba(33, 37, 41, .75) (≈ 11:1 on the light-blue bar); the dark
        // variant drew it white (≈ 1.2:1).
        Assert.True(icon.Contains("33, 37, 41", StringComparison.Ordinal) || icon.Contains("33%2C 37%2C 41", StringComparison.Ordinal), icon);
        Assert.False(await page.Locator("#challenge-filters").IsVisibleAsync());
        await page.ClickAsync("[data-testid=filter-toggle]");
        await page.Locator("#q").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.Equal("true", await page.GetAttributeAsync("[data-testid=filter-toggle]", "aria-expanded"));
        await context.CloseAsync();
    }

    private async Task<long> SubmittedChallengeAsync(string title)
    {
        using var enterprise = await browser.App.ApiClientAsync(ProposalTestKit.Enterprise);
        using var created = await enterprise.PostAsJsonAsync("/api/v1/challenges", LifecycleTestKit.ChallengeJson(browser.App.Clock.GetUtcNow(), title));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await ProposalTestKit.JsonAsync(created)).GetProperty("id").GetInt64();
        using var submitted = await enterprise.PostAsJsonAsync($"/api/v1/challenges/{id}/submit", new { });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        return id;
    }

    private async Task<IPage> SignedInAsync(string email)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/account/signin");
        await page.FillAsync("#Email", email);
        await page.FillAsync("#Password", MarketplaceFactory.TestPassword);
        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return page;
    }
}
