using System.Net;
using System.Net.Http.Json;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;
using static Marketplace.Web.Tests.Reviews.ReviewTestKit;

namespace Marketplace.Web.Tests.Reviews;

/// <summary>
/// Every review and award endpoint and page against every role, including the other organisation's members and a
/// reviewer who is not assigned: the expected status for each. Arranged mid-review: both proposals assigned to the
/// reviewer, who accepted and scored the first; the second is still unanswered.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xUnit disposes the factory through IAsyncLifetime after each test.")]
public sealed class ReviewAuthorisationMatrixTests : IAsyncLifetime
{
    private const HttpStatusCode Ok = HttpStatusCode.OK;
    private const HttpStatusCode Bad = HttpStatusCode.BadRequest;
    private const HttpStatusCode Unauthorised = HttpStatusCode.Unauthorized;
    private const HttpStatusCode Forbidden = HttpStatusCode.Forbidden;
    private const HttpStatusCode NotFound = HttpStatusCode.NotFound;
    private const HttpStatusCode Conflict = HttpStatusCode.Conflict;
    private const HttpStatusCode SignIn = HttpStatusCode.Redirect;

    private static readonly string?[] People = [null, Enterprise, OtherEnterprise, Vendor, OtherVendor, Officer, Reviewer, Reviewer2, Admin];

    private readonly MarketplaceFactory _factory = new();

    public Task InitializeAsync() => _factory.InitializeAsync();

    public Task DisposeAsync() => _factory.DisposeAsync();

    private sealed record Row(string Name, Func<HttpClient, Task<HttpResponseMessage>> Send, HttpStatusCode[] Expected);

    /// <summary>Order: signed out, enterprise, other enterprise, vendor (author), other vendor, officer, reviewer (assigned), reviewer 2, admin.</summary>
    private static HttpStatusCode[] Expect(params HttpStatusCode[] statuses) => statuses;

    private async Task<(long Challenge, long Proposal, long Scored, long Unanswered)> ArrangeAsync()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        var proposal = await _factory.SubmitThroughApiAsync(Vendor, challenge);
        await _factory.SubmitThroughApiAsync(OtherVendor, challenge);
        _factory.PassTheDeadlines();
        var assignments = await _factory.AssignAsync(challenge, Reviewer);
        await _factory.AcceptAndScoreAsync(Reviewer, assignments[0], challenge, 7);
        return (challenge, proposal, assignments[0], assignments[1]);
    }

    [Fact]
    public async Task Api_EveryReviewEndpointAndRole_GetsTheExpectedStatus()
    {
        var (c, p, scored, unanswered) = await ArrangeAsync();
        var criteria = await _factory.CriterionIdsAsync(c);
        Row[] rows =
        [
            new("GET board", x => x.GetAsync($"/api/v1/challenges/{c}/review"), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Forbidden, Forbidden)),
            new("assign (no reviewer)", x => x.PostAsJsonAsync($"/api/v1/challenges/{c}/review/assignments", new { reviewerUserId = 0 }), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Forbidden, Bad, Forbidden, Forbidden, Forbidden)),
            new("remove scored", x => x.DeleteAsync($"/api/v1/challenges/{c}/review/assignments/{scored}"), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Forbidden, Conflict, Forbidden, Forbidden, Forbidden)),
            new("rubric (frozen)", x => x.PutAsJsonAsync($"/api/v1/challenges/{c}/review/rubric", new { criteria = Array.Empty<object>() }), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Forbidden, Conflict, Forbidden, Forbidden, Forbidden)),
            new("close (incomplete)", x => x.PostAsync($"/api/v1/challenges/{c}/review/close", null), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Forbidden, Conflict, Forbidden, Forbidden, Forbidden)),
            new("quota (invalid)", x => x.PutAsJsonAsync($"/api/v1/challenges/{c}/award/quota", new { quota = 0 }), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Forbidden, Bad, Forbidden, Forbidden, Forbidden)),
            new("decide (scoring open)", x => x.PostAsJsonAsync($"/api/v1/challenges/{c}/award", new { noAward = true, reason = "x" }), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Forbidden, Conflict, Forbidden, Forbidden, Forbidden)),
            new("GET award", x => x.GetAsync($"/api/v1/challenges/{c}/award"), Expect(Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok)),
            new("GET my reviews", x => x.GetAsync("/api/v1/my/reviews"), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Forbidden)),
            new("GET assignment", x => x.GetAsync($"/api/v1/reviews/{scored}"), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok, NotFound, Forbidden)),
            new("accept (already)", x => x.PostAsync($"/api/v1/reviews/{scored}/accept", null), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Conflict, NotFound, Forbidden)),
            new("conflict (no reason)", x => x.PostAsJsonAsync($"/api/v1/reviews/{unanswered}/conflict", new { reason = "" }), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Bad, NotFound, Forbidden)),
            new("scores (not accepted)", x => x.PostAsJsonAsync($"/api/v1/reviews/{unanswered}/scores", ScoresBody(criteria, 5)), Expect(Unauthorised, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Conflict, NotFound, Forbidden)),
            new("outcome (undecided)", x => x.GetAsync($"/api/v1/proposals/{p}/outcome"), Expect(Unauthorised, Forbidden, Forbidden, Conflict, NotFound, Forbidden, Forbidden, Forbidden, Forbidden)),
        ];

        var before = await _factory.ReviewCountsAsync();
        var wrong = new List<string>();
        for (var i = 0; i < People.Length; i++)
        {
            using var client = await _factory.ApiClientAsync(People[i]);
            foreach (var row in rows)
            {
                using var response = await row.Send(client);
                if (response.StatusCode != row.Expected[i])
                {
                    wrong.Add($"{row.Name} as {People[i] ?? "signed-out"}: expected {(int)row.Expected[i]}, got {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
        Assert.Equal(before, await _factory.ReviewCountsAsync());
    }

    [Fact]
    public async Task Pages_EveryReviewPageAndRole_GetsTheExpectedStatus()
    {
        var (c, _, scored, _) = await ArrangeAsync();
        (string Url, HttpStatusCode[] Expected)[] pages =
        [
            ("/review", Expect(SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Forbidden, Forbidden)),
            ($"/challenges/{c}/review", Expect(SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Forbidden, Forbidden)),
            ("/reviews", Expect(SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok, Forbidden)),
            ($"/reviews/{scored}", Expect(SignIn, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok, NotFound, Forbidden)),
        ];

        var wrong = new List<string>();
        for (var i = 0; i < People.Length; i++)
        {
            using var client = await _factory.SignedInBrowserAsync(People[i]);
            foreach (var (url, expected) in pages)
            {
                var (status, _) = await client.GetPageAsync(url);
                if (status != expected[i])
                {
                    wrong.Add($"GET {url} as {People[i] ?? "signed-out"}: expected {(int)expected[i]}, got {(int)status}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }
}
