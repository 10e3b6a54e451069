using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Testing;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;
using Marketplace.Web.Tests.Reviews;
using static Marketplace.Web.Tests.Lifecycle.LifecycleTestKit;

namespace Marketplace.Web.Tests.Lifecycle;

/// <summary>
/// The product's spine in one go, through the API with every role: an enterprise's draft becomes a delivered
/// project and a portfolio case. Each step is tested in detail elsewhere; this proves they connect, that the audit
/// log tells the whole story in order, and that each person was notified of what concerns them and nothing else.
/// </summary>
public sealed class WholeLifecycleTests
{
    private static readonly string[] ReportLinks = ["https://files.example.cn/report.pdf"];
    private static readonly int[] FirstTarget = [1];

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task DraftToDeliveredPortfolioCase_ThroughTheApi_WithEveryRole(string engine)
    {
        var factory = engine == TestEngines.Postgres ? new PostgresMarketplaceFactory() : new MarketplaceFactory();
        await factory.InitializeAsync();
        try
        {
            long id, winning, losing;
            using (var enterprise = await factory.ApiClientAsync(Enterprise))
            using (var officer = await factory.ApiClientAsync(Officer))
            using (var vendor = await factory.ApiClientAsync(Vendor))
            {
                // Post the question (出题) and screen it.
                using var created = await enterprise.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: "Spine: cold-chain excursion alerts"));
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                id = (await created.JsonAsync()).GetProperty("id").GetInt64();
                Assert.Equal(HttpStatusCode.OK, (await enterprise.PostAsJsonAsync($"/api/v1/challenges/{id}/submit", new { rowVersion = 1 })).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/v1/challenges/{id}/publish", new { })).StatusCode);

                // Clarify, then two sealed bids (答题).
                using var asked = await vendor.PostAsJsonAsync($"/api/v1/challenges/{id}/questions", new { question = "Are door-open events logged?" });
                var question = (await asked.JsonAsync()).GetProperty("id").GetInt64();
                Assert.Equal(HttpStatusCode.NoContent, (await enterprise.PostAsJsonAsync($"/api/v1/questions/{question}/answer", new { answer = "Yes, with a timestamp." })).StatusCode);
            }

            winning = await factory.SubmitThroughApiAsync(Vendor, id);
            losing = await factory.SubmitThroughApiAsync(OtherVendor, id);

            // The deadline passes: two reviewers score, the first proposal clearly ahead.
            factory.Clock.Advance(TimeSpan.FromDays(31));
            foreach (var (reviewer, high, low) in new[] { (Reviewer, 8, 5), (ReviewTestKit.Reviewer2, 9, 4) })
            {
                foreach (var assignment in await factory.AssignAsync(id, reviewer))
                {
                    var proposal = await ProposalOfAsync(factory, assignment);
                    await factory.AcceptAndScoreAsync(reviewer, assignment, id, proposal == winning ? high : low, proposal == winning ? "Convincing pilot data." : "Thin evidence for the thresholds.");
                }
            }

            using (var officer = await factory.ApiClientAsync(Officer))
            {
                Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync($"/api/v1/challenges/{id}/review/close", null)).StatusCode);
                var feedback = new Dictionary<string, string> { [losing.ToString(CultureInfo.InvariantCulture)] = "Sound team; the detection latency target was not evidenced." };
                Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync($"/api/v1/challenges/{id}/award", new { winners = new[] { winning }, reason = "Highest technical score.", feedback })).StatusCode);
            }

            using (var loser = await factory.ApiClientAsync(OtherVendor))
            {
                var outcome = await loser.GetJsonAsync($"/api/v1/proposals/{losing}/outcome");
                Assert.False(outcome.GetProperty("won").GetBoolean());
                Assert.Contains("latency target", outcome.GetProperty("feedback").GetString(), StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.NotFound, (await loser.GetAsync($"/api/v1/proposals/{winning}/outcome")).StatusCode);
            }

            // Delivery: contract signed, every milestone evidenced and accepted, consent to a portfolio case.
            using (var enterprise = await factory.ApiClientAsync(Enterprise))
            using (var vendor = await factory.ApiClientAsync(Vendor))
            {
                using var started = await enterprise.PostAsJsonAsync($"/api/v1/challenges/{id}/delivery/start", new { note = "Contract signed." });
                Assert.Equal(HttpStatusCode.Created, started.StatusCode);
                var project = Assert.Single((await started.JsonAsync()).GetProperty("projectIds").EnumerateArray()).GetInt64();
                foreach (var milestone in Delivery.DeliveryTestKit.MilestoneIds(await Delivery.DeliveryTestKit.ProjectAsync(vendor, project)))
                {
                    Assert.Equal(HttpStatusCode.Created, (await vendor.PostAsJsonAsync($"/api/v1/milestones/{milestone}/evidence", new { body = "Replay report attached.", links = ReportLinks })).StatusCode);
                    Assert.Equal(HttpStatusCode.OK, (await enterprise.PostAsJsonAsync($"/api/v1/milestones/{milestone}/accept", new { targetsMet = FirstTarget })).StatusCode);
                }

                Assert.Equal(HttpStatusCode.OK, (await enterprise.PostAsJsonAsync($"/api/v1/delivery-projects/{project}/portfolio-consent", new { grant = true, nameClient = false })).StatusCode);
                Assert.Equal("completed", (await enterprise.GetJsonAsync($"/api/v1/challenges/{id}")).GetProperty("status").GetString());
            }

            await using var connection = await factory.Database.Connections.OpenAsync();
            var actions = (await connection.QueryAsync<string>("SELECT action FROM challenge_audit WHERE challenge_id = @Id ORDER BY id", new { Id = id })).ToList();
            AssertInOrder(actions,
                "created", "submitted_for_screening", "published", "closed", "review_started", "reviewer_assigned", "review_accepted",
                "technical_scoring_closed", "awarded", "delivery_started", "milestone_evidence_submitted", "milestone_accepted",
                "delivery_project_completed", "completed", "portfolio_consent_granted");

            var received = (await connection.QueryAsync<(string Email, string Kind)>(
                "SELECT u.email AS Email, n.kind AS Kind FROM notifications n JOIN users u ON u.id = n.recipient_user_id WHERE n.challenge_id = @Id",
                new { Id = id })).ToLookup(r => r.Email, r => r.Kind);
            Assert.Superset(new HashSet<string> { "challenge_published", "question_asked", "award_decided", "milestone_evidence_submitted", "delivery_project_completed" }, received[Enterprise].ToHashSet());
            Assert.Superset(new HashSet<string> { "challenge_submitted", "milestone_accepted", "delivery_project_completed" }, received[Officer].ToHashSet());
            Assert.Superset(new HashSet<string> { "question_answered", "challenge_closed", "award_won", "delivery_started", "milestone_accepted", "delivery_project_completed" }, received[Vendor].ToHashSet());
            Assert.Superset(new HashSet<string> { "challenge_closed", "award_not_won" }, received[OtherVendor].ToHashSet());
            Assert.DoesNotContain("delivery_started", received[OtherVendor]);
            Assert.Superset(new HashSet<string> { "review_assigned", "review_concluded" }, received[Reviewer].ToHashSet());
            Assert.Empty(received[OtherEnterprise]);
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM portfolio_cases WHERE title = 'Spine: cold-chain excursion alerts' AND client IS NULL"));
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }

    private static async Task<long> ProposalOfAsync(MarketplaceFactory factory, long assignmentId)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT proposal_id FROM review_assignments WHERE id = @Id", new { Id = assignmentId });
    }

    /// <summary>Each expected action appears, in this order, among the actual ones (others may come between).</summary>
    private static void AssertInOrder(List<string> actual, params string[] expected)
    {
        var at = 0;
        foreach (var action in expected)
        {
            while (at < actual.Count && actual[at] != action)
            {
                at++;
            }

            Assert.True(at < actual.Count, $"'{action}' is missing or out of order in: {string.Join(", ", actual)}");
            at++;
        }
    }
}
