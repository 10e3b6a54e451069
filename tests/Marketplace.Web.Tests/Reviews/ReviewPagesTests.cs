using System.Net;
using Dapper;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;
using static Marketplace.Web.Tests.Reviews.ReviewTestKit;

namespace Marketplace.Web.Tests.Reviews;

/// <summary>Review and award through the pages, with the officer, two vendors, a reviewer, the enterprise and a visitor.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xUnit disposes the factory through IAsyncLifetime after each test.")]
public sealed class ReviewPagesTests : IAsyncLifetime
{
    private readonly MarketplaceFactory _factory = new();

    public Task InitializeAsync() => _factory.InitializeAsync();

    public Task DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task ReviewAndAward_ThroughThePages()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        var vision = await _factory.SubmitThroughApiAsync(Vendor, challenge);
        var routes = await _factory.SubmitThroughApiAsync(OtherVendor, challenge);
        _factory.PassTheDeadlines();
        await _factory.CloseDueChallengesAsync();
        using var officer = await _factory.SignedInBrowserAsync(Officer);
        var board = $"/challenges/{challenge}/review";

        var (_, queue) = await officer.GetPageAsync("/review");
        Assert.Contains($"href=\"{board}\"", queue);
        Assert.Contains("data-testid=\"nav-review\"", queue);
        var (_, empty) = await officer.GetPageAsync(board);
        Assert.Contains("data-testid=\"assign-form\"", empty);

        // A form error: no reviewer chosen.
        using (var none = await officer.PostFormAsync(board, $"{board}/assign", new Dictionary<string, string> { ["reviewerUserId"] = "" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
            Assert.Contains("Choose a reviewer.", await none.Content.ReadAsStringAsync());
        }

        using (var assigned = await officer.PostFormAsync(board, $"{board}/assign", new Dictionary<string, string> { ["reviewerUserId"] = (await _factory.UserIdAsync(Reviewer)).ToString(System.Globalization.CultureInfo.InvariantCulture) }))
        {
            Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        }

        // The reviewer: My reviews, accept, score through the form (a missing comment is a form error).
        using var reviewer = await _factory.SignedInBrowserAsync(Reviewer);
        var (_, mine) = await reviewer.GetPageAsync("/reviews");
        Assert.Contains("data-testid=\"nav-my-reviews\"", mine);
        await using var connection = await _factory.Database.Connections.OpenAsync();
        var assignments = (await connection.QueryAsync<long>("SELECT id FROM review_assignments WHERE challenge_id = @Id ORDER BY proposal_id", new { Id = challenge })).ToList();
        var criteria = await _factory.CriterionIdsAsync(challenge);
        foreach (var (assignment, score) in assignments.Zip([8, 4]))
        {
            var page = $"/reviews/{assignment}";
            var (_, before) = await reviewer.GetPageAsync(page);
            Assert.DoesNotContain("data-testid=\"technical\"", before);
            Assert.Equal(HttpStatusCode.Redirect, (await reviewer.PostFormAsync(page, $"{page}/accept", new Dictionary<string, string>())).StatusCode);
            var (_, accepted) = await reviewer.GetPageAsync(page);
            Assert.Contains("data-testid=\"technical\"", accepted);
            Assert.DoesNotContain("980,000", accepted);
            var form = new Dictionary<string, string>();
            for (var i = 0; i < criteria.Count; i++)
            {
                form[$"scores[{i}].CriterionId"] = criteria[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
                form[$"scores[{i}].Score"] = score.ToString(System.Globalization.CultureInfo.InvariantCulture);
                form[$"scores[{i}].Comment"] = i == 0 ? "" : "Clear evidence.";
            }

            using (var refused = await reviewer.PostFormAsync(page, $"{page}/scores", form))
            {
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Contains("The comment is required.", await refused.Content.ReadAsStringAsync());
            }

            form["scores[0].Comment"] = "Pilot at a comparable mill.";
            Assert.Equal(HttpStatusCode.Redirect, (await reviewer.PostFormAsync(page, $"{page}/scores", form)).StatusCode);
            var (_, scored) = await reviewer.GetPageAsync(page);
            Assert.Contains("data-testid=\"history\"", scored);
        }

        // The enterprise sees the review state on its challenge page.
        using var enterprise = await _factory.SignedInBrowserAsync(Enterprise);
        var (_, owner) = await enterprise.GetPageAsync($"/challenges/{challenge}");
        Assert.Contains("data-testid=\"review-state\"", owner);

        Assert.Equal(HttpStatusCode.Redirect, (await officer.PostFormAsync(board, $"{board}/close", new Dictionary<string, string>())).StatusCode);
        var (_, closed) = await officer.GetPageAsync(board);
        Assert.Contains("980,000", closed);
        Assert.Contains("data-testid=\"award-form\"", closed);

        // The decision: missing feedback is a form error and nothing is saved.
        var decision = new Dictionary<string, string> { ["winners"] = vision.ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = "" };
        using (var refused = await officer.PostFormAsync(board, $"/challenges/{challenge}/award", decision))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Written feedback to this vendor is required.", await refused.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM award_decisions"));
        decision[$"feedback[{routes}]"] = "Your routing approach did not address surface defects.";
        Assert.Equal(HttpStatusCode.Redirect, (await officer.PostFormAsync(board, $"/challenges/{challenge}/award", decision)).StatusCode);

        // What each party sees afterwards.
        using var loser = await _factory.SignedInBrowserAsync(OtherVendor);
        var (_, lost) = await loser.GetPageAsync($"/proposals/{routes}");
        Assert.Contains("data-testid=\"not-won\"", lost);
        Assert.Contains("did not address surface defects", lost);
        using var winner = await _factory.SignedInBrowserAsync(Vendor);
        var (_, won) = await winner.GetPageAsync($"/proposals/{vision}");
        Assert.Contains("data-testid=\"won\"", won);
        Assert.DoesNotContain("did not address surface defects", won);

        using var visitor = await _factory.SignedInBrowserAsync(null);
        var (_, publicPage) = await visitor.GetPageAsync($"/challenges/{challenge}");
        Assert.Contains("data-testid=\"winners\"", publicPage);
        Assert.Contains("Test Vision AI", publicPage);
        Assert.DoesNotContain("data-testid=\"ranking\"", publicPage);
        Assert.DoesNotContain("did not address surface defects", publicPage);
        var (_, ownerAfter) = await enterprise.GetPageAsync($"/challenges/{challenge}");
        Assert.Contains("data-testid=\"ranking\"", ownerAfter);

        var (_, chinese) = await (await _factory.SignedInBrowserAsync(Officer, "zh-CN")).GetPageAsync(board);
        Assert.Contains("评审决定", chinese);
        Assert.Contains("开始评审", chinese);
    }
}
