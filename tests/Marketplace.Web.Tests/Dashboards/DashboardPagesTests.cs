using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Lifecycle;
using Marketplace.Web.Tests.Reviews;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Dashboards;

/// <summary>Each role's dashboard through HTTP with the real pipeline, on data brought about by the real use cases.</summary>
public sealed partial class DashboardPagesTests
{
    [Fact]
    public async Task SignIn_WithoutAReturnUrl_LandsOnTheDashboard_WhichTheNavigationNamesInBothLanguages()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        using var client = factory.CreateBrowserClient();
        using (var signIn = await client.SignInAsync(Vendor, MarketplaceFactory.TestPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.Equal("/dashboard", signIn.Headers.Location?.OriginalString);
        }

        var english = await client.GetStringAsync("/dashboard");
        Assert.Contains("data-testid=\"nav-dashboard\"", english);
        Assert.Contains("data-testid=\"vendor-dashboard\"", english);
        Assert.DoesNotContain("data-testid=\"officer-dashboard\"", english);

        using var chinese = await factory.SignedInBrowserAsync(Vendor, "zh-CN");
        var html = await chinese.GetStringAsync("/dashboard");
        Assert.Contains(">工作台</a>", html);
        Assert.Contains("推荐榜单", html);
        Assert.Contains("档案完整度", html);
    }

    [Fact]
    public async Task Dashboard_SignedOut_AsksToSignIn()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        using var visitor = factory.CreateBrowserClient();
        using var response = await visitor.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enterprise_SeesItsChallengesByState_BidsOnlyOnceUnsealed_QuestionsWaiting()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var strip = await factory.ChallengeIdAsync(StripChallenge);
        await factory.SubmitThroughApiAsync(Vendor, strip);
        using (var vendorApi = await factory.ApiClientAsync(Vendor))
        using (var asked = await vendorApi.PostAsJsonAsync($"/api/v1/challenges/{strip}/questions", new { question = "训练数据可以带出厂区吗？" }))
        {
            Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        }

        using var enterprise = await factory.SignedInBrowserAsync(Enterprise);
        var before = await enterprise.GetStringAsync("/dashboard");
        var stripRow = Row(before, "enterprise-challenge", StripChallenge);
        Assert.Contains("sealed until the deadline", stripRow);
        Assert.DoesNotContain("proposal-count", stripRow);
        Assert.Contains("data-testid=\"questions-waiting\">1<", before);
        Assert.Contains("训练数据可以带出厂区吗？", before);
        // Only its own challenges: the logistics enterprise's are not there.
        Assert.DoesNotContain("Cold-chain route planning", before);
        Assert.Contains("data-testid=\"chart-enterprise-states\"", before);

        factory.PassTheDeadlines();
        await factory.CloseDueChallengesAsync();
        using var again = await factory.SignedInBrowserAsync(Enterprise);
        var after = await again.GetStringAsync("/dashboard");
        Assert.Contains("data-testid=\"proposal-count\">1<", Row(after, "enterprise-challenge", StripChallenge));
    }

    [Fact]
    public async Task Vendor_SeesRecommendationsWithLevelAndReasons_ItsProposals_OutcomeWithFeedback_AndProfileHints()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var strip = await factory.ChallengeIdAsync(StripChallenge);
        using (var vendor = await factory.SignedInBrowserAsync(Vendor))
        {
            var html = await vendor.GetStringAsync("/dashboard");
            var recommendations = Section(html, "vendor-recommendations");
            Assert.Contains("data-testid=\"recommendation\"", recommendations);
            Assert.Matches("data-testid=\"level\"[^>]*>(Strong match|Worth a look)<", recommendations);
            Assert.Contains("data-testid=\"reasons\"", recommendations);
            Assert.Contains("data-testid=\"completeness\"", html);
            var percent = int.Parse(CompletenessPattern().Match(html).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var done = CountOf(html, "data-testid=\"check-done\"");
            var missing = CountOf(html, "data-testid=\"check-missing\"");
            Assert.Equal(5, done + missing);
            Assert.Equal((int)Math.Round(100.0 * done / 5), percent);
        }

        var mine = await factory.SubmitThroughApiAsync(Vendor, strip);
        var other = await factory.SubmitThroughApiAsync(OtherVendor, strip);
        factory.PassTheDeadlines();
        await factory.ReviewAndCloseAsync(strip);
        using (var officer = await factory.ApiClientAsync(Officer))
        using (var decided = await officer.PostAsJsonAsync($"/api/v1/challenges/{strip}/award",
                   new { winners = new[] { other }, reason = "Closest to the targets.", feedback = new Dictionary<string, string> { [mine.ToString(System.Globalization.CultureInfo.InvariantCulture)] = "推理时延未给出实测数据。" } }))
        {
            Assert.Equal(HttpStatusCode.Created, decided.StatusCode);
        }

        using var loser = await factory.SignedInBrowserAsync(Vendor);
        var page = await loser.GetStringAsync("/dashboard");
        Assert.Contains($"href=\"/proposals/{mine}\"", Section(page, "vendor-proposals"));
        var outcomes = Section(page, "vendor-outcomes");
        Assert.Contains("Not selected", outcomes);
        Assert.Contains("推理时延未给出实测数据。", outcomes);

        using var winner = await factory.SignedInBrowserAsync(OtherVendor);
        var won = Section(await winner.GetStringAsync("/dashboard"), "vendor-outcomes");
        Assert.Contains(">Won<", won);
        Assert.DoesNotContain("推理时延未给出实测数据。", won);
    }

    [Fact]
    public async Task Reviewer_AcceptsFromTheDashboardInOneClick_ThenGetsTheScoreButton()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var strip = await factory.ChallengeIdAsync(StripChallenge);
        await factory.SubmitThroughApiAsync(Vendor, strip);
        factory.PassTheDeadlines();
        var assignment = (await factory.AssignAsync(strip, Reviewer)).Single();

        using var reviewer = await factory.SignedInBrowserAsync(Reviewer);
        var html = await reviewer.GetStringAsync("/dashboard");
        var row = Row(html, "reviewer-assignment", StripChallenge);
        Assert.Contains($"action=\"/reviews/{assignment}/accept\"", row);
        Assert.Contains("0 / 4", row);
        // When the scores are due (ten days after the assignment by default), in Beijing time.
        Assert.Contains(factory.Clock.GetUtcNow().AddDays(10).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), row);

        using (var accepted = await reviewer.PostFormAsync($"/reviews/{assignment}/accept", tokenPage: "/dashboard"))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        var after = Row(await reviewer.GetStringAsync("/dashboard"), "reviewer-assignment", StripChallenge);
        Assert.DoesNotContain("/accept", after);
        Assert.Contains($"href=\"/reviews/{assignment}\" data-testid=\"score\"", after);

        // Another reviewer's dashboard does not show the assignment.
        using var other = await factory.SignedInBrowserAsync(ReviewTestKit.Reviewer2);
        Assert.DoesNotContain(StripChallenge, await other.GetStringAsync("/dashboard"));
    }

    [Fact]
    public async Task Officer_SeesTheScreeningQueue_TheFunnel_AndChallengesStuckLongerThanTheThreshold()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        using var enterprise = await factory.ApiClientAsync(Enterprise);
        using (var created = await enterprise.PostAsJsonAsync("/api/v1/challenges", LifecycleTestKit.ChallengeJson(factory.Clock.GetUtcNow(), title: "Slab crack detection on the caster")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await LifecycleTestKit.JsonAsync(created)).GetProperty("id").GetInt64();
            using var submitted = await enterprise.PostAsJsonAsync($"/api/v1/challenges/{id}/submit", new { });
            Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        }

        var strip = await factory.ChallengeIdAsync(StripChallenge);
        await factory.SubmitThroughApiAsync(Vendor, strip);

        using (var officer = await factory.SignedInBrowserAsync(Officer))
        {
            var html = await officer.GetStringAsync("/dashboard");
            Assert.Contains("data-testid=\"screening-count\">1<", html);
            Assert.Contains("data-testid=\"stuck-count\">0<", html);
            var (submittedCount, published, bids) = await FunnelFromTheDatabaseAsync(factory);
            var funnel = Tight(Section(html, "chart-table-officer-funnel"));
            Assert.Contains($"<th scope=\"row\">Submitted</th><td class=\"text-end\">{submittedCount}</td>", funnel);
            Assert.Contains($"<th scope=\"row\">Published</th><td class=\"text-end\">{published}</td>", funnel);
            Assert.Contains($"<th scope=\"row\">With bids</th><td class=\"text-end\">{bids}</td>", funnel);
            Assert.Equal(1, bids);
            Assert.Contains("<canvas id=\"officer-funnel\"", html);
        }

        // Fifteen days later (the default threshold is 14) the unscreened challenge is stuck, and so is the closed one.
        factory.Clock.Advance(TimeSpan.FromDays(15));
        using var later = await factory.SignedInBrowserAsync(Officer);
        var stuck = await later.GetStringAsync("/dashboard");
        Assert.Contains("Slab crack detection on the caster", Section(stuck, "stuck"));
        Assert.Contains("Warehouse pick-path optimisation", Section(stuck, "stuck"));
        Assert.Contains("data-testid=\"screening-age\">oldest waiting 15 days<", stuck);

        // The threshold is configuration: at 20 days nothing has waited long enough yet.
        await using var patient = factory.WithWebHostBuilder(builder => builder.UseSetting("Dashboards:StuckAfterDays", "20"));
        using var client = patient.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.AcceptLanguage.Add(new System.Net.Http.Headers.StringWithQualityHeaderValue("en"));
        using (var signIn = await client.SignInAsync(Officer, MarketplaceFactory.TestPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var relaxed = await client.GetStringAsync("/dashboard");
        Assert.Contains("data-testid=\"stuck-count\">0<", relaxed);
        Assert.Contains("in one state for more than 20 days", relaxed);
    }

    [Fact]
    public async Task Admin_SeesUsersOrganisationsJobsAndEmailHealth_WhileOthersDoNot()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        _ = factory.Services;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            var users = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users");
            using var admin = await factory.SignedInBrowserAsync(Admin);
            var html = await admin.GetStringAsync("/dashboard");
            Assert.Contains($"data-testid=\"user-count\">{users}<", html);
            Assert.Contains("data-testid=\"organisations-by-kind\"", html);
            Assert.Contains("data-testid=\"jobs\"", html);
            Assert.Contains("data-testid=\"chart-admin-email\"", html);
            Assert.DoesNotContain("data-testid=\"officer-dashboard\"", html);
            // No SMTP server in this configuration: the administrator is told where the mail goes instead.
            Assert.Contains("data-testid=\"smtp-not-configured\"", html);
        }

        using var officer = await factory.SignedInBrowserAsync(Officer);
        Assert.DoesNotContain("data-testid=\"admin-dashboard\"", await officer.GetStringAsync("/dashboard"));
    }

    private static async Task<(int Submitted, int Published, int Bids)> FunnelFromTheDatabaseAsync(MarketplaceFactory factory)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        return (await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM challenges WHERE status NOT IN ('draft', 'withdrawn') OR published_at IS NOT NULL"),
            await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM challenges WHERE published_at IS NOT NULL"),
            await connection.ExecuteScalarAsync<int>("SELECT COUNT(DISTINCT challenge_id) FROM proposals WHERE status = 'submitted'"));
    }

    /// <summary>The element carrying data-testid, up to the end of its first closing tag of the same name.</summary>
    internal static string Section(string html, string testId)
    {
        var match = Regex.Match(html, $"<(?<tag>\\w+)[^>]*data-testid=\"{Regex.Escape(testId)}\"[^>]*>", RegexOptions.CultureInvariant);
        Assert.True(match.Success, $"no element with data-testid=\"{testId}\"");
        var tag = match.Groups["tag"].Value;
        // Count nested elements of the same name until the one that opened here closes.
        var depth = 0;
        foreach (Match m in Regex.Matches(html[match.Index..], $"<{tag}[\\s>]|</{tag}>", RegexOptions.CultureInvariant))
        {
            depth += m.Value.StartsWith("</", StringComparison.Ordinal) ? -1 : 1;
            if (depth == 0)
            {
                return html.Substring(match.Index, m.Index + m.Length);
            }
        }

        Assert.Fail($"the element with data-testid=\"{testId}\" does not close");
        return "";
    }

    /// <summary>The row (tr or li) with the test id that mentions the text.</summary>
    internal static string Row(string html, string testId, string text)
    {
        foreach (Match match in Regex.Matches(html, $"<(tr|li)[^>]*data-testid=\"{Regex.Escape(testId)}\"[^>]*>.*?</\\1>", RegexOptions.Singleline | RegexOptions.CultureInvariant))
        {
            if (match.Value.Contains(text, StringComparison.Ordinal))
            {
                return match.Value;
            }
        }

        Assert.Fail($"no {testId} row mentions {text}");
        return "";
    }

    /// <summary>The markup without the white space between tags, to compare table rows.</summary>
    internal static string Tight(string html) => Regex.Replace(html, @">\s+<", "><");

    private static int CountOf(string html, string text) => Regex.Count(html, Regex.Escape(text));

    [GeneratedRegex("data-testid=\"completeness\" data-percent=\"(\\d+)\"")]
    private static partial Regex CompletenessPattern();
}
