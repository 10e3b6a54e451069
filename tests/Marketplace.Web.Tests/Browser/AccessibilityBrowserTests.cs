using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Web.Tests.Delivery;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Lifecycle;
using Marketplace.Web.Tests.Proposals;
using Microsoft.Playwright;

namespace Marketplace.Web.Tests.Browser;

/// <summary>
/// axe-core (installed by the build's <c>npm ci</c> from package.json) run in Chromium on every page of every role, in
/// both languages: no critical and no serious violation anywhere. The data covers the whole flow (a proposal, a
/// review, an award, a delivery project, a challenge waiting for screening, an open one to bid on), so the pages
/// show their full content rather than empty states. It moves the clock, so it has an application of its own.
/// </summary>
public sealed class AccessibilityBrowserTests
{
    private static readonly string AxeScript = Path.Combine(MarketplaceFactory.RepositoryRoot, "node_modules", "axe-core", "axe.min.js");

    [Fact]
    public async Task EveryPageOfEveryRole_InBothLanguages_HasNoCriticalOrSeriousAxeViolation()
    {
        Assert.True(File.Exists(AxeScript), $"axe-core is missing at {AxeScript}; the web project's build installs it with npm ci.");
        var axe = await File.ReadAllTextAsync(AxeScript);
        var browser = new BrowserFixture();
        await browser.InitializeAsync();
        try
        {
            var pages = await PagesByRoleAsync(browser.App);
            var failures = new StringBuilder();
            var checkedPages = 0;
            foreach (var locale in new[] { "en-US", "zh-CN" })
            {
                foreach (var (role, paths) in pages)
                {
                    var page = await NewPageAsync(browser, locale);
                    if (role != "visitor")
                    {
                        await SignInAsync(page, role);
                    }

                    foreach (var path in paths)
                    {
                        var response = await page.GotoAsync(path);
                        Assert.True(response?.Status == (int)HttpStatusCode.OK, $"{role} {locale} {path}: HTTP {response?.Status}");
                        await page.EvaluateAsync(axe);
                        var violations = await page.EvaluateAsync<JsonElement>(RunAxe);
                        checkedPages++;
                        foreach (var violation in violations.EnumerateArray())
                        {
                            failures.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{role} {locale} {path}: [{violation.GetProperty("impact").GetString()}] {violation.GetProperty("id").GetString()} — {violation.GetProperty("help").GetString()}");
                            foreach (var node in violation.GetProperty("nodes").EnumerateArray())
                            {
                                failures.AppendLine("    " + node.GetString());
                            }
                        }
                    }

                    await page.Context.CloseAsync();
                }
            }

            Assert.True(checkedPages >= 60, $"only {checkedPages} pages checked");
            Assert.True(failures.Length == 0, $"axe found critical or serious violations on {checkedPages} pages checked:{Environment.NewLine}{failures}");
        }
        finally
        {
            await browser.DisposeAsync();
        }
    }

    /// <summary>Runs axe on the whole document and keeps the critical and serious violations, with a few of their elements.</summary>
    private const string RunAxe = """
        async () => {
          const result = await axe.run(document, { resultTypes: ["violations"] });
          return result.violations
            .filter(v => v.impact === "critical" || v.impact === "serious")
            .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").replace(/\s+/g, " ")) }));
        }
        """;

    /// <summary>Builds the whole story through the API, then lists each role's pages on it.</summary>
    private static async Task<List<(string Role, string[] Paths)>> PagesByRoleAsync(MarketplaceFactory app)
    {
        var (strip, proposals) = await DeliveryTestKit.AwardAsync(app, ProposalTestKit.StripChallenge, ProposalTestKit.Vendor);
        var proposal = proposals[0];
        var project = Assert.Single(await DeliveryTestKit.StartDeliveryAsync(app, strip));

        // After the clock moved: one challenge published again (open for proposals), one waiting for screening.
        using var enterprise = await app.ApiClientAsync(ProposalTestKit.Enterprise);
        using var officer = await app.ApiClientAsync(ProposalTestKit.Officer);
        var open = await CreateAndSubmitAsync(enterprise, app.Clock.GetUtcNow(), "Coil weld-seam inspection");
        using (var published = await officer.PostAsJsonAsync($"/api/v1/challenges/{open}/publish", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        var waiting = await CreateAndSubmitAsync(enterprise, app.Clock.GetUtcNow(), "Furnace temperature forecasting");
        var assignment = await FirstAssignmentAsync(app);

        return
        [
            ("visitor", ["/", "/challenges", $"/challenges/{strip}", $"/challenges/{open}", "/vendors", "/vendors/ven-test-vision", "/account/signin", "/account/register"]),
            (ProposalTestKit.Vendor, ["/dashboard", "/recommendations", "/my/proposals", $"/challenges/{open}", $"/challenges/{open}/proposals/new", $"/proposals/{proposal}", $"/proposals/{proposal}/versions/1",
                $"/delivery/projects/{project}", "/notifications", "/email/preferences", "/account/organisation", "/my/vendor-profile", "/my/vendor-profile/cases/new", "/vendors/ven-test-vision"]),
            (ProposalTestKit.Enterprise, ["/dashboard", "/my/challenges", "/my/challenges/new", $"/my/challenges/{open}/edit", $"/challenges/{strip}", $"/challenges/{strip}/proposals",
                $"/challenges/{open}", $"/delivery/projects/{project}", "/notifications"]),
            (ProposalTestKit.Reviewer, ["/dashboard", "/reviews", $"/reviews/{assignment}"]),
            (ProposalTestKit.Officer, ["/dashboard", "/review", "/screening", $"/screening/challenges/{waiting}", "/screening/negative-list", "/screening/audit", $"/challenges/{strip}", $"/challenges/{strip}/review",
                "/delivery", $"/delivery/projects/{project}"]),
            (ProposalTestKit.Admin, ["/dashboard", "/admin/users", "/admin/email"]),
        ];
    }

    private static async Task<long> CreateAndSubmitAsync(HttpClient enterprise, DateTimeOffset now, string title)
    {
        using var created = await enterprise.PostAsJsonAsync("/api/v1/challenges", LifecycleTestKit.ChallengeJson(now, title));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await ProposalTestKit.JsonAsync(created)).GetProperty("id").GetInt64();
        using var submitted = await enterprise.PostAsJsonAsync($"/api/v1/challenges/{id}/submit", new { });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        return id;
    }

    private static async Task<long> FirstAssignmentAsync(MarketplaceFactory app)
    {
        await using var connection = await app.Database.Connections.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(id) FROM review_assignments";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<IPage> NewPageAsync(BrowserFixture browser, string locale)
    {
        // The test injects axe as a script of its own; the app's Content-Security-Policy is not what is tested here.
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale, TimezoneId = "Europe/Berlin", BaseURL = browser.BaseUrl, BypassCSP = true });
        return await context.NewPageAsync();
    }

    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/signin");
        await page.FillAsync("#Email", email);
        await page.FillAsync("#Password", MarketplaceFactory.TestPassword);
        await page.ClickAsync("form button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.DoesNotContain("/account/signin", page.Url, StringComparison.Ordinal);
    }
}
