using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Marketplace.Core.Features.Challenges;
using Marketplace.Data.Challenges;
using Marketplace.Testing;
using Microsoft.Extensions.DependencyInjection;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;
using static Marketplace.Web.Tests.Reviews.ReviewTestKit;

namespace Marketplace.Web.Tests.Reviews;

/// <summary>
/// Review and award through the API on each engine: assignment with conflicts as data, accept and conflict
/// declaration, rubric edits until the first score, append-only scores, the aggregate with the ≥ 4 disagreement
/// edge, closing technical scoring (refused while a review is missing), the decision, and what each party sees.
/// </summary>
public sealed class ReviewFlowApiTests
{
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task ReviewAndAward_ThroughTheApi(string engine)
    {
        var factory = engine == TestEngines.Postgres ? new PostgresMarketplaceFactory() : new MarketplaceFactory();
        await factory.InitializeAsync();
        try
        {
            await RunFlowAsync(factory);
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }

    private static async Task RunFlowAsync(MarketplaceFactory factory)
    {
        var challenge = await factory.ChallengeIdAsync(StripChallenge);
        var vision = await factory.SubmitThroughApiAsync(Vendor, challenge);
        var routes = await factory.SubmitThroughApiAsync(OtherVendor, challenge);
        var reviewer3 = await factory.UserIdAsync(Reviewer3);

        // Before the deadline there is nothing to review.
        using (var early = await factory.ApiClientAsync(Officer))
        {
            Assert.Equal(HttpStatusCode.Conflict, (await early.PostAsJsonAsync($"/api/v1/challenges/{challenge}/review/assignments", new { reviewerUserId = reviewer3 })).StatusCode);
        }

        // Tokens are issued after the clock moves, so they are still valid.
        factory.PassTheDeadlines();
        using var officer = await factory.ApiClientAsync(Officer);

        // Reviewer 3 joins the routing vendor: conflicted with its proposal only.
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO memberships (user_id, organisation_id, is_owner, created_at) SELECT @User, id, @Owner, @At FROM organisations WHERE slug = 'ven-test-routes'",
                new { User = reviewer3, Owner = false, At = factory.Clock.GetUtcNow() });
        }

        // Deadlines passed: the closer (a job, run lazily by pages) closes the challenge before anything is measured.
        await factory.Services.GetRequiredService<ChallengeCloser>().CloseDueChallengesAsync();
        var before = await factory.ReviewCountsAsync();
        using (var named = await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/review/assignments", new { reviewerUserId = reviewer3, proposalIds = new[] { routes } }))
        {
            Assert.Equal(HttpStatusCode.Conflict, named.StatusCode);
            Assert.Contains("conflict of interest", (await named.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var vendorUser = await factory.UserIdAsync(Vendor);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/review/assignments", new { reviewerUserId = vendorUser, proposalIds = new[] { routes } })).StatusCode);
        Assert.Equal(before, await factory.ReviewCountsAsync());

        // Assigning reviewer 3 to the challenge: the conflicted proposal is left out; review starts.
        using (var wide = await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/review/assignments", new { reviewerUserId = reviewer3 }))
        {
            Assert.Equal(HttpStatusCode.Created, wide.StatusCode);
            var made = await wide.JsonAsync();
            Assert.True(made.GetProperty("reviewStarted").GetBoolean());
            Assert.Equal(vision, Assert.Single(made.GetProperty("assigned").EnumerateArray()).GetProperty("proposalId").GetInt64());
            Assert.Equal("conflict_of_interest", Assert.Single(made.GetProperty("skipped").EnumerateArray()).GetProperty("reason").GetString());
        }

        var r1 = await factory.AssignAsync(challenge, Reviewer);
        var r2 = await factory.AssignAsync(challenge, Reviewer2);
        Assert.Equal(2, r1.Count);
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/review/assignments", new { reviewerUserId = await factory.UserIdAsync(Reviewer) })).StatusCode);

        var board = await officer.GetJsonAsync($"/api/v1/challenges/{challenge}/review");
        Assert.Equal("under_review", board.GetProperty("status").GetString());
        Assert.Equal([30, 25, 25, 20], board.GetProperty("rubric").EnumerateArray().Select(c => c.GetProperty("weight").GetInt32()).ToArray());
        Assert.Equal("技术成熟度", board.GetProperty("rubric")[0].GetProperty("nameZh").GetString());

        // The reviewer reads nothing before accepting; after accepting the technical envelope only, and only their own.
        using var reviewer = await factory.ApiClientAsync(Reviewer);
        using var reviewer2 = await factory.ApiClientAsync(Reviewer2);
        Assert.Equal(JsonValueKind.Null, (await reviewer.GetJsonAsync($"/api/v1/reviews/{r1[0]}")).GetProperty("technical").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer2.GetAsync($"/api/v1/reviews/{r1[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsync($"/api/v1/reviews/{r1[0]}/accept", null)).StatusCode);
        var work = await reviewer.GetJsonAsync($"/api/v1/reviews/{r1[0]}");
        Assert.Contains("Line-scan", work.GetProperty("technical").GetProperty("approach").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("980000", work.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetAsync($"/api/v1/proposals/{vision}")).StatusCode);

        // Reviewer 2 declares a conflict with the routing proposal: kept as a record, officers told.
        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer2.PostAsJsonAsync($"/api/v1/reviews/{r2[1]}/conflict", new { reason = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer2.PostAsJsonAsync($"/api/v1/reviews/{r2[1]}/conflict", new { reason = "I advised Test Routing Labs last year." })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer2.PostAsync($"/api/v1/reviews/{r2[1]}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/review/assignments",
            new { reviewerUserId = await factory.UserIdAsync(Reviewer2), proposalIds = new[] { routes } })).StatusCode);

        // The rubric: invalid weights refused with nothing changed; a valid edit before any score.
        var invalid = await officer.PutAsJsonAsync($"/api/v1/challenges/{challenge}/review/rubric",
            new { criteria = new[] { new { nameZh = "技术", nameEn = "Technology", weight = 50 }, new { nameZh = "团队", nameEn = "Team", weight = 40 } } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var edited = await officer.PutAsJsonAsync($"/api/v1/challenges/{challenge}/review/rubric",
            new { criteria = new[] { new { nameZh = "技术成熟度", nameEn = "Technology maturity", weight = 40 }, new { nameZh = "路径创新", nameEn = "Path innovation", weight = 30 }, new { nameZh = "团队", nameEn = "Team", weight = 30 } } });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var criteria = await factory.CriterionIdsAsync(challenge);
        Assert.Equal(3, criteria.Count);

        // Scores: a missing comment is refused; then reviewer 1 scores 9 and 5, reviewer 2 first 3 then 5 on the vision proposal.
        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.PostAsJsonAsync($"/api/v1/reviews/{r1[0]}/scores", ScoresBody(criteria, 9, ""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsJsonAsync($"/api/v1/reviews/{r1[0]}/scores", ScoresBody(criteria, 9, "Mature pilot."))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PutAsJsonAsync($"/api/v1/challenges/{challenge}/review/rubric",
            new { criteria = new[] { new { nameZh = "技术", nameEn = "Technology", weight = 50 }, new { nameZh = "团队", nameEn = "Team", weight = 50 } } })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer2.PostAsJsonAsync($"/api/v1/reviews/{r2[0]}/scores", ScoresBody(criteria, 3))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer2.PostAsync($"/api/v1/reviews/{r2[0]}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer2.PostAsJsonAsync($"/api/v1/reviews/{r2[0]}/scores", ScoresBody(criteria, 3, "Thin evidence."))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer2.PostAsJsonAsync($"/api/v1/reviews/{r2[0]}/scores", ScoresBody(criteria, 5, "Better on a second reading."))).StatusCode);
        var history = (await reviewer2.GetJsonAsync($"/api/v1/reviews/{r2[0]}")).GetProperty("history");
        Assert.Equal(6, history.GetArrayLength());
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("score").GetInt32() == 3);
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT COUNT(DISTINCT score) FROM review_scores WHERE assignment_id = @Id", new { Id = r2[0] }));
        }

        // Closing is refused while a review is missing, naming it; nothing changes.
        var beforeClose = await factory.ReviewCountsAsync();
        using (var refused = await officer.PostAsync($"/api/v1/challenges/{challenge}/review/close", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var detail = (await refused.JsonAsync()).GetProperty("detail").GetString()!;
            Assert.Contains("The proposal of Test Routing Labs has no complete review.", detail, StringComparison.Ordinal);
        }

        Assert.Equal(beforeClose, await factory.ReviewCountsAsync());
        var rosa = board.GetProperty("assignments").EnumerateArray().Single(a => a.GetProperty("reviewerName").GetString() == "Rosa Reviewer").GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await officer.DeleteAsync($"/api/v1/challenges/{challenge}/review/assignments/{rosa}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await officer.DeleteAsync($"/api/v1/challenges/{challenge}/review/assignments/{r2[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsync($"/api/v1/reviews/{r1[1]}/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsJsonAsync($"/api/v1/reviews/{r1[1]}/scores", ScoresBody(criteria, 5, "Routing know-how, little vision."))).StatusCode);

        // The aggregate: vision 9 and 5 → mean 7, spread 4 (flagged), total 70; routing 5 → 50.
        board = await officer.GetJsonAsync($"/api/v1/challenges/{challenge}/review");
        var first = board.GetProperty("proposals")[0];
        Assert.Equal(vision, first.GetProperty("proposalId").GetInt64());
        Assert.Equal(70, first.GetProperty("aggregate").GetProperty("weightedTotal").GetDouble(), 3);
        Assert.Equal(1, first.GetProperty("aggregate").GetProperty("rank").GetInt32());
        var c0 = first.GetProperty("aggregate").GetProperty("criteria")[0];
        Assert.Equal(7, c0.GetProperty("mean").GetDouble(), 3);
        Assert.Equal(4, c0.GetProperty("spread").GetInt32());
        Assert.True(c0.GetProperty("disagreement").GetBoolean());
        Assert.Equal(50, board.GetProperty("proposals")[1].GetProperty("aggregate").GetProperty("weightedTotal").GetDouble(), 3);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("price").ValueKind);

        // Decision before closing is refused; closing opens the prices and freezes the scores.
        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/award", new { winners = new[] { vision }, feedback = new Dictionary<string, string> { [routes.ToString(System.Globalization.CultureInfo.InvariantCulture)] = "x" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync($"/api/v1/challenges/{challenge}/review/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.PostAsJsonAsync($"/api/v1/reviews/{r1[1]}/scores", ScoresBody(criteria, 6))).StatusCode);
        board = await officer.GetJsonAsync($"/api/v1/challenges/{challenge}/review");
        Assert.Equal(980000m, board.GetProperty("proposals")[0].GetProperty("price").GetProperty("amount").GetDecimal());
        Assert.DoesNotContain("980000", (await reviewer.GetJsonAsync($"/api/v1/reviews/{r1[0]}")).GetRawText(), StringComparison.Ordinal);

        // The decision: feedback missing → field error, nothing saved; quota 1 with two winners refused; then recorded once.
        var beforeDecision = await factory.ReviewCountsAsync();
        using (var noFeedback = await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/award", new { winners = new[] { vision } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noFeedback.StatusCode);
            Assert.True((await noFeedback.JsonAsync()).GetProperty("errors").TryGetProperty($"feedback[{routes}]", out _));
        }

        Assert.Equal(HttpStatusCode.OK, (await officer.PutAsJsonAsync($"/api/v1/challenges/{challenge}/award/quota", new { quota = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/award", new { winners = new[] { vision, routes } })).StatusCode);
        Assert.Equal(beforeDecision.Split('|')[1], (await factory.ReviewCountsAsync()).Split('|')[1]);
        var feedback = new Dictionary<string, string> { [routes.ToString(System.Globalization.CultureInfo.InvariantCulture)] = "Strong routing team; the vision pipeline was not evidenced." };
        using (var decided = await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/award", new { winners = new[] { vision }, reason = "Best technical score.", feedback }))
        {
            Assert.Equal(HttpStatusCode.Created, decided.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Conflict, (await officer.PostAsJsonAsync($"/api/v1/challenges/{challenge}/award", new { noAward = true, reason = "Again" })).StatusCode);

        // What each party sees.
        using var anonymous = await factory.ApiClientAsync(null);
        var publicAward = await anonymous.GetJsonAsync($"/api/v1/challenges/{challenge}/award");
        Assert.Equal("awarded", publicAward.GetProperty("outcome").GetString());
        Assert.Equal("测试视觉科技", Assert.Single(publicAward.GetProperty("winners").EnumerateArray()).GetProperty("vendorName").GetString());
        Assert.Equal(JsonValueKind.Null, publicAward.GetProperty("ranking").ValueKind);
        Assert.DoesNotContain("evidenced", publicAward.GetRawText(), StringComparison.Ordinal);
        using var enterprise = await factory.ApiClientAsync(Enterprise);
        Assert.Equal(2, (await enterprise.GetJsonAsync($"/api/v1/challenges/{challenge}/award")).GetProperty("ranking").GetArrayLength());
        using var otherEnterprise = await factory.ApiClientAsync(OtherEnterprise);
        Assert.Equal(JsonValueKind.Null, (await otherEnterprise.GetJsonAsync($"/api/v1/challenges/{challenge}/award")).GetProperty("ranking").ValueKind);

        using var loser = await factory.ApiClientAsync(OtherVendor);
        var outcome = await loser.GetJsonAsync($"/api/v1/proposals/{routes}/outcome");
        Assert.False(outcome.GetProperty("won").GetBoolean());
        Assert.Contains("not evidenced", outcome.GetProperty("feedback").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, outcome.GetProperty("criteria")[0].GetProperty("mean").GetDouble(), 3);
        Assert.Equal("Routing know-how, little vision.", Assert.Single(outcome.GetProperty("criteria")[0].GetProperty("comments").EnumerateArray()).GetString());
        Assert.DoesNotContain("Rita", outcome.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await loser.GetAsync($"/api/v1/proposals/{vision}/outcome")).StatusCode);
        using var winner = await factory.ApiClientAsync(Vendor);
        var won = await winner.GetJsonAsync($"/api/v1/proposals/{vision}/outcome");
        Assert.True(won.GetProperty("won").GetBoolean());
        Assert.Equal(2, won.GetProperty("criteria")[0].GetProperty("comments").GetArrayLength());

        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            Assert.Equal("awarded", await connection.ExecuteScalarAsync<string>("SELECT status FROM challenges WHERE id = @Id", new { Id = challenge }));
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM match_signals WHERE challenge_id = @Id AND kind = 'awarded'", new { Id = challenge }));
            var kinds = (await connection.QueryAsync<string>("SELECT DISTINCT kind FROM notifications WHERE challenge_id = @Id", new { Id = challenge })).ToHashSet();
            Assert.Superset(new HashSet<string> { "review_assigned", "review_conflict_declared", "review_assignment_removed", "award_won", "award_not_won", "award_decided", "review_concluded" }, kinds);
            var loserBody = await connection.ExecuteScalarAsync<string>(
                "SELECT n.body FROM notifications n JOIN users u ON u.id = n.recipient_user_id WHERE u.email = @Email AND n.kind = 'award_not_won'", new { Email = OtherVendor });
            Assert.Contains("not evidenced", loserBody, StringComparison.Ordinal);
            var actions = (await connection.QueryAsync<string>("SELECT action FROM challenge_audit WHERE challenge_id = @Id", new { Id = challenge })).ToHashSet();
            Assert.Superset(new HashSet<string> { "review_started", "reviewer_assigned", "reviewer_removed", "conflict_declared", "rubric_changed", "technical_scoring_closed", "award_quota_changed", "awarded" }, actions);
        }
    }
}
