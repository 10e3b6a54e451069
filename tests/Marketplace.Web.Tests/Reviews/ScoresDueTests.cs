using System.Net;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;
using static Marketplace.Web.Tests.Reviews.ReviewTestKit;

namespace Marketplace.Web.Tests.Reviews;

/// <summary>The reviewer and the officer see when an assignment's scores are due, and "overdue" once it is late.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xUnit disposes the factory through IAsyncLifetime after each test.")]
public sealed class ScoresDueTests : IAsyncLifetime
{
    private readonly MarketplaceFactory _factory = new();

    public Task InitializeAsync() => _factory.InitializeAsync();

    public Task DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task ScoresDue_Shown_ThenOverdue_OnMyReviewsAndTheBoard()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        await _factory.SubmitThroughApiAsync(Vendor, challenge);
        _factory.PassTheDeadlines();
        await _factory.CloseDueChallengesAsync();
        using var officer = await _factory.SignedInBrowserAsync(Officer);
        var board = $"/challenges/{challenge}/review";
        using (var assigned = await officer.PostFormAsync(board, $"{board}/assign", new Dictionary<string, string>
               { ["reviewerUserId"] = (await _factory.UserIdAsync(Reviewer)).ToString(System.Globalization.CultureInfo.InvariantCulture) }))
        {
            Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        }

        using var reviewer = await _factory.SignedInBrowserAsync(Reviewer);
        var (_, onTime) = await reviewer.GetPageAsync("/reviews");
        var due = _factory.Clock.GetUtcNow().AddDays(10);
        Assert.Contains("data-testid=\"due\"", onTime);
        Assert.Contains(due.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), onTime);
        Assert.DoesNotContain("data-testid=\"overdue\"", onTime);

        _factory.Clock.Advance(TimeSpan.FromDays(11));

        var (_, late) = await reviewer.GetPageAsync("/reviews");
        Assert.Contains("data-testid=\"overdue\"", late);
        var (_, boardPage) = await officer.GetPageAsync(board);
        Assert.Contains("data-testid=\"overdue\"", boardPage);
    }
}
