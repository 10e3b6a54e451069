using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Web.Tests.Delivery;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Lifecycle;
using Marketplace.Web.Tests.Proposals;
using Marketplace.Web.Tests.Reviews;
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

    /// <summary>
    /// The pages checked, counted once per language (a failed save counts as a page: the form re-displayed with its
    /// errors). Dropping pages from the list below fails the test; docs/accessibility.md gives the figures of a run.
    /// </summary>
    private const int MinimumPagesChecked = 2 * 84;

    [Fact]
    public async Task EveryPageOfEveryRole_InBothLanguages_HasNoCriticalOrSeriousAxeViolation()
    {
        Assert.True(File.Exists(AxeScript), $"axe-core is missing at {AxeScript}; the web project's build installs it with npm ci.");
        var axe = await File.ReadAllTextAsync(AxeScript);
        var browser = new BrowserFixture();
        await browser.InitializeAsync();
        try
        {
            var pages = await PagesByRoleAsync(browser);
            var failures = new StringBuilder();
            var checkedPages = 0;
            foreach (var locale in new[] { "en-US", "zh-CN" })
            {
                foreach (var (role, visits) in pages)
                {
                    foreach (var phone in new[] { false, true })
                    {
                        var mine = visits.Where(v => v.Phone == phone).ToList();
                        if (mine.Count == 0)
                        {
                            continue;
                        }

                        var page = await NewPageAsync(browser, locale, phone);
                        if (role != Visitor)
                        {
                            await SignInAsync(page, role);
                        }

                        foreach (var visit in mine)
                        {
                            var where = $"{role} {locale}{(phone ? " 375px" : "")} {visit.Path}{(visit.Form is null ? "" : " (failed save)")}";
                            await OpenAsync(page, visit, locale, where);
                            if (visit.Form is { } form)
                            {
                                await FailSaveAsync(page, form, where);
                            }

                            await page.EvaluateAsync(axe);
                            var violations = await page.EvaluateAsync<JsonElement>(RunAxe);
                            checkedPages++;
                            foreach (var violation in violations.EnumerateArray())
                            {
                                failures.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"{where}: [{violation.GetProperty("impact").GetString()}] {violation.GetProperty("id").GetString()} — {violation.GetProperty("help").GetString()}");
                                foreach (var node in violation.GetProperty("nodes").EnumerateArray())
                                {
                                    failures.AppendLine("    " + node.GetString());
                                }
                            }
                        }

                        await page.Context.CloseAsync();
                    }
                }
            }

            Assert.True(failures.Length == 0, $"axe found critical or serious violations on {checkedPages} pages checked:{Environment.NewLine}{failures}");
            Assert.True(checkedPages >= MinimumPagesChecked, $"only {checkedPages} pages checked, fewer than the {MinimumPagesChecked} this test covers");
        }
        finally
        {
            await browser.DisposeAsync();
        }
    }

    private const string Visitor = "visitor";

    /// <summary>A page to check: its address, the status it answers with, and a form on it to send with bad values first.</summary>
    private sealed record Visit(string Path, int Status = 200, FailedSave? Form = null, bool Phone = false, bool Download = false);

    /// <summary>A form sent empty or with bad values: <paramref name="Fill"/> sets fields first, then <paramref name="Submit"/> is pressed.</summary>
    private sealed record FailedSave(string Submit, params (string Selector, string Value)[] Fill);

    private static Visit Phone(string path) => new(path, Phone: true);

    private static Visit Failing(string path, string submit, params (string Selector, string Value)[] fill) => new(path, Form: new FailedSave(submit, fill));

    private static async Task OpenAsync(IPage page, Visit visit, string locale, string where)
    {
        if (visit.Download)
        {
            // A file to keep (Content-Disposition: attachment): fetched with the page's cookies and shown as the page.
            var file = await page.Context.APIRequest.GetAsync(visit.Path, new APIRequestContextOptions { Headers = new Dictionary<string, string> { ["Accept-Language"] = locale } });
            Assert.True(file.Status == visit.Status, $"{where}: HTTP {file.Status}");
            Assert.Contains("attachment", file.Headers.GetValueOrDefault("content-disposition") ?? "", StringComparison.Ordinal);
            await page.SetContentAsync(await file.TextAsync());
            return;
        }

        var response = await page.GotoAsync(visit.Path);
        Assert.True(response?.Status == visit.Status, $"{where}: HTTP {response?.Status}, expected {visit.Status}");
    }

    /// <summary>
    /// Sends the form with bad values, then checks what a failed save must show: one error summary, the focus on it (or
    /// on the first invalid field), every invalid field with aria-invalid and an aria-describedby naming a message with
    /// text, and every link of the summary leading to such a field.
    /// </summary>
    private static async Task FailSaveAsync(IPage page, FailedSave form, string where)
    {
        foreach (var (selector, value) in form.Fill)
        {
            await page.FillAsync(selector, value);
        }

        await page.ClickAsync(form.Submit);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var state = await page.EvaluateAsync<JsonElement>("""
            () => {
              const summaries = document.querySelectorAll("[data-error-summary]");
              const summary = summaries[0];
              const active = document.activeElement;
              const invalid = Array.from(document.querySelectorAll("[aria-invalid=true]"));
              const problems = [];
              if (summaries.length !== 1) problems.push(summaries.length + " error summaries");
              if (!summary || !(active === summary || active === invalid[0])) problems.push("the focus is on " + (active ? active.tagName + "#" + active.id : "nothing"));
              if (invalid.length === 0) problems.push("no field carries aria-invalid");
              for (const control of invalid) {
                const ids = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
                const message = ids.map(id => document.getElementById(id)).find(e => e && e.textContent.trim().length > 0);
                if (!message) problems.push((control.name || control.id) + ": aria-describedby names no message");
              }
              for (const link of summary ? summary.querySelectorAll("a[data-error-for]") : []) {
                // As forms.js finds a link's field: through the message its aria-describedby names.
                const id = "error-" + link.dataset.errorFor.toLowerCase().replace(/[^a-z0-9_-]/g, "_");
                const field = document.querySelector('[aria-describedby~="' + id + '"]');
                if (!field || field.getAttribute("aria-invalid") !== "true") problems.push("the summary's link for " + link.dataset.errorFor + " leads to no invalid field");
              }
              return problems;
            }
            """);
        var problems = state.EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.True(problems.Count == 0, $"{where}: {string.Join("; ", problems)}");
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
    private static async Task<List<(string Role, Visit[] Visits)>> PagesByRoleAsync(BrowserFixture browser)
    {
        var app = browser.App;
        var (strip, proposals) = await DeliveryTestKit.AwardAsync(app, ProposalTestKit.StripChallenge, ProposalTestKit.Vendor);
        var proposal = proposals[0];
        var project = Assert.Single(await DeliveryTestKit.StartDeliveryAsync(app, strip));

        // After the clock moved: one challenge closed with a proposal (its reviewers to assign), one published again (open
        // for proposals), one waiting for screening.
        long closed;
        using (var owner = await app.ApiClientAsync(ProposalTestKit.Enterprise))
        using (var screener = await app.ApiClientAsync(ProposalTestKit.Officer))
        {
            closed = await CreateAndSubmitAsync(owner, app.Clock.GetUtcNow(), "Slab caster breakout prediction");
            using var published = await screener.PostAsJsonAsync($"/api/v1/challenges/{closed}/publish", new { });
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        await app.SubmitThroughApiAsync(ProposalTestKit.OtherVendor, closed);
        app.Clock.Advance(TimeSpan.FromDays(31));
        Assert.True(await app.CloseDueChallengesAsync() >= 1);

        // New tokens: the ones above expired while the clock moved.
        using var enterprise = await app.ApiClientAsync(ProposalTestKit.Enterprise);
        using var officer = await app.ApiClientAsync(ProposalTestKit.Officer);
        var open = await CreateAndSubmitAsync(enterprise, app.Clock.GetUtcNow(), "Coil weld-seam inspection");
        using (var published = await officer.PostAsJsonAsync($"/api/v1/challenges/{open}/publish", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        }

        var waiting = await CreateAndSubmitAsync(enterprise, app.Clock.GetUtcNow(), "Furnace temperature forecasting");
        var assignment = await FirstAssignmentAsync(app);
        var bid = await app.SubmitThroughApiAsync(ProposalTestKit.Vendor, open);
        var confidential = await ScalarAsync(app, "SELECT id FROM challenges WHERE title = 'Blast furnace hot-metal silicon prediction'");
        var portfolioCase = await ScalarAsync(app, """
            SELECT MIN(c.id) FROM portfolio_cases c JOIN organisations o ON o.id = c.organisation_id WHERE o.slug = 'ven-test-vision'
            """);
        var invitation = await InvitationPathAsync(browser);
        var unsubscribe = await UnsubscribePathAsync(app);
        await DeadLetterAsync(app);

        const string Submit = "main form[novalidate] button[type=submit]";
        return
        [
            (Visitor, [new("/"), new("/challenges"), new($"/challenges/{strip}"), new($"/challenges/{open}"), new("/vendors"), new("/vendors/ven-test-vision"),
                new("/account/signin"), new("/account/register"), new(invitation), new(unsubscribe),
                new("/no-such-page", 404), new($"/challenges/{waiting}", 404), new("/hangfire", 401),
                Failing("/account/signin", Submit), Failing("/account/register", Submit), Failing(invitation, Submit),
                Phone("/"), Phone("/challenges")]),
            (ProposalTestKit.Vendor, [new("/dashboard"), new("/recommendations"), new("/my/proposals"), new($"/challenges/{open}"), new($"/proposals/{proposal}"), new($"/proposals/{proposal}/versions/1"),
                new($"/delivery/projects/{project}"), new("/notifications"), new("/email/preferences"), new("/account/organisation"), new("/my/vendor-profile"), new("/my/vendor-profile/cases/new"),
                new("/vendors/ven-test-vision"), new($"/challenges/{confidential}/nda"), new($"/proposals/{bid}/edit"), new($"/my/vendor-profile/cases/{portfolioCase}/edit"),
                new("/screening", 403),
                Failing($"/proposals/{bid}/edit", "#proposal-form button[value=submit]", ("#Approach", "")),
                Failing("/my/vendor-profile", "[data-testid=profile-form] button[type=submit]", ("#Summary", "")),
                Failing("/my/vendor-profile/cases/new", "[data-testid=case-form] button[type=submit]"),
                Failing($"/my/vendor-profile/cases/{portfolioCase}/edit", "[data-testid=case-form] button[type=submit]", ("#Title", ""), ("#Year", "1850")),
                Phone("/dashboard"), Phone("/challenges")]),
            (ProposalTestKit.OtherVendor, [new($"/challenges/{open}/proposals/new"), Failing($"/challenges/{open}/proposals/new", "#proposal-form button[value=submit]")]),
            (ProposalTestKit.Enterprise, [new("/dashboard"), new("/my/challenges"), new("/my/challenges/new"), new($"/my/challenges/{open}/edit"), new($"/challenges/{strip}"), new($"/challenges/{strip}/proposals"),
                new($"/challenges/{open}"), new($"/delivery/projects/{project}"), new("/notifications"), new($"/challenges/{strip}/decision-report", Download: true),
                Failing("/my/challenges/new", "main form button[type=submit]"),
                Failing($"/my/challenges/{open}/edit", "main form button[type=submit]", ("#Title", "")),
                Failing("/account/organisation", "main form[novalidate] button[type=submit]", ("#Invite_Email", "not-an-address")),
                Phone("/dashboard"), Phone("/challenges")]),
            (ProposalTestKit.Reviewer, [new("/dashboard"), new("/reviews"), new($"/reviews/{assignment}"), Phone("/dashboard"), Phone("/challenges")]),
            (ProposalTestKit.Officer, [new("/dashboard"), new("/review"), new("/screening"), new($"/screening/challenges/{waiting}"), new("/screening/negative-list"), new("/screening/audit"),
                new($"/challenges/{strip}"), new($"/challenges/{strip}/review"), new("/delivery"), new($"/delivery/projects/{project}"),
                new($"/challenges/{closed}/review/assignment-proposal"), new($"/challenges/{strip}/decision-report", Download: true),
                Failing("/screening/negative-list", "[data-testid=add-entry] button[type=submit]"),
                Failing($"/screening/challenges/{waiting}", "[data-testid=return-form] button.btn-warning"),
                Phone("/dashboard"), Phone("/challenges")]),
            (ProposalTestKit.Admin, [new("/dashboard"), new("/admin/users"), new("/admin/email"), Phone("/dashboard"), Phone("/challenges")]),
        ];
    }

    /// <summary>The enterprise's owner invites a colleague on the organisation page; the link it shows, as a path.</summary>
    private static async Task<string> InvitationPathAsync(BrowserFixture browser)
    {
        var page = await NewPageAsync(browser, "en-US", phone: false);
        await SignInAsync(page, ProposalTestKit.Enterprise);
        await page.GotoAsync("/account/organisation");
        await page.FillAsync("#Invite_Email", "new.colleague@test.example");
        await page.ClickAsync("main form[novalidate] button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var link = await page.Locator("input[value*='/account/invitations/']").GetAttributeAsync("value");
        await page.Context.CloseAsync();
        Assert.False(string.IsNullOrEmpty(link), "The organisation page shows no invitation link.");
        return new Uri(link).PathAndQuery;
    }

    /// <summary>The one-click unsubscribe page of a user the story notified (the token their mails carry).</summary>
    private static async Task<string> UnsubscribePathAsync(MarketplaceFactory app)
    {
        await using var connection = await app.Database.Connections.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(unsubscribe_token) FROM email_preferences WHERE unsubscribe_token IS NOT NULL AND unsubscribed_at IS NULL";
        var token = await command.ExecuteScalarAsync() as string;
        Assert.False(string.IsNullOrEmpty(token), "The story queued no mail, so no user has an unsubscribe token.");
        return "/email/unsubscribe/" + Uri.EscapeDataString(token);
    }

    /// <summary>
    /// One mail the story queued becomes a dead letter, as the dispatcher leaves it after its last failed attempt (that
    /// path is tested against a stopped SMTP server in Data.Tests; EmailPagesTests sets it up the same way), so the
    /// administrators' outbox shows its dead-letter table with a retry button.
    /// </summary>
    private static async Task DeadLetterAsync(MarketplaceFactory app)
    {
        await using var connection = await app.Database.Connections.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE email_outbox SET status = 'dead', attempts = 5, last_error = 'SocketException: Connection refused' WHERE id = (SELECT MIN(id) FROM email_outbox)";
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static async Task<long> ScalarAsync(MarketplaceFactory app, string sql)
    {
        await using var connection = await app.Database.Connections.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
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

    private static async Task<IPage> NewPageAsync(BrowserFixture browser, string locale, bool phone)
    {
        // The test injects axe as a script of its own; the app's Content-Security-Policy is not what is tested here.
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale, TimezoneId = "Europe/Berlin", BaseURL = browser.BaseUrl, BypassCSP = true,
            ViewportSize = phone ? new ViewportSize { Width = 375, Height = 740 } : null, IsMobile = phone,
        });
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
