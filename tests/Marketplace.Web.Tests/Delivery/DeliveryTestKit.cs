using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;

namespace Marketplace.Web.Tests.Delivery;

/// <summary>The steps the delivery tests repeat: an awarded challenge, its projects, and counts that prove a refusal changed nothing.</summary>
public static class DeliveryTestKit
{
    /// <summary>
    /// Brings a seeds/test challenge to Awarded with the given vendors' proposals as winners: the proposals are
    /// submitted through the real API, the fake clock passes the deadline, then one SQL transaction writes the award
    /// decision, the winners (in the order given) and the challenge's moves Published → Closed → UnderReview →
    /// Awarded with their audit rows. Returns the challenge id and the winning proposal ids.
    /// The review/award handler is built in parallel (another branch): after the merge the coordinator replaces this
    /// body with calls to the real close → review → award steps. Nothing in src/ depends on this helper.
    /// </summary>
    public static async Task<(long ChallengeId, IReadOnlyList<long> ProposalIds)> AwardAsync(MarketplaceFactory factory, string challengeTitle, params string[] winnerEmails)
    {
        var challengeId = await factory.ChallengeIdAsync(challengeTitle);
        var proposals = new List<long>();
        foreach (var email in winnerEmails)
        {
            proposals.Add(await factory.SubmitThroughApiAsync(email, challengeId));
        }

        factory.PassTheDeadlines();
        var now = factory.Clock.GetUtcNow();
        await using var connection = await factory.Database.Connections.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var officer = await connection.ExecuteScalarAsync<long>("SELECT id FROM users WHERE email = @Email", new { Email = ProposalTestKit.Officer }, transaction);
        await connection.ExecuteAsync(
            "INSERT INTO award_decisions (challenge_id, outcome, reason, quota, decided_by, decided_at) VALUES (@Id, 'awarded', NULL, 3, @Officer, @Now)",
            new { Id = challengeId, Officer = officer, Now = now }, transaction);
        var position = 1;
        foreach (var proposal in proposals)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO award_winners (challenge_id, proposal_id, vendor_id, proposal_version, position)
                SELECT challenge_id, id, vendor_id, current_version, @Position FROM proposals WHERE id = @Proposal
                """, new { Proposal = proposal, Position = position++ }, transaction);
        }

        foreach (var (from, action, to) in new[] { ("published", "closed", "closed"), ("closed", "review_started", "under_review"), ("under_review", "awarded", "awarded") })
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO challenge_audit (challenge_id, actor_user_id, action, from_status, to_status, reason, occurred_at)
                VALUES (@Id, @Officer, @Action, @From, @To, NULL, @Now)
                """, new { Id = challengeId, Officer = officer, Action = action, From = from, To = to, Now = now }, transaction);
        }

        var updated = await connection.ExecuteAsync(
            "UPDATE challenges SET status = 'awarded', updated_at = @Now, row_version = row_version + 1 WHERE id = @Id AND status = 'published'",
            new { Id = challengeId, Now = now }, transaction);
        Assert.Equal(1, updated);
        await transaction.CommitAsync();
        return (challengeId, proposals);
    }

    /// <summary>Starts delivery through the API as the enterprise and returns the project ids.</summary>
    public static async Task<IReadOnlyList<long>> StartDeliveryAsync(MarketplaceFactory factory, long challengeId, string email = ProposalTestKit.Enterprise)
    {
        using var client = await factory.ApiClientAsync(email);
        using var response = await client.PostAsJsonAsync($"/api/v1/challenges/{challengeId}/delivery/start", new { note = "Contract signed on site." });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("projectIds").EnumerateArray().Select(e => e.GetInt64()).ToList();
    }

    public static async Task<JsonElement> ProjectAsync(HttpClient api, long projectId)
    {
        using var response = await api.GetAsync($"/api/v1/delivery-projects/{projectId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    public static long[] MilestoneIds(JsonElement project) =>
        project.GetProperty("milestones").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToArray();

    /// <summary>Every delivery row and status, so a refused request can be shown to have changed nothing.</summary>
    public static async Task<string> DeliverySnapshotAsync(this MarketplaceFactory factory)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        var parts = new List<string>();
        foreach (var table in new[] { "delivery_projects", "delivery_milestones", "milestone_evidence", "milestone_decisions", "milestone_payments", "stage_adjustments",
                     "stage_adjustment_items", "failure_filings", "portfolio_consents", "portfolio_cases", "portfolio_case_tags" })
        {
            parts.Add(table + "=" + await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        }

        parts.Add(string.Join(",", await connection.QueryAsync<string>("SELECT status FROM delivery_projects ORDER BY id")));
        parts.Add(string.Join(",", await connection.QueryAsync<string>("SELECT status || ':' || deliverable FROM delivery_milestones ORDER BY id")));
        // Pages close other seeded challenges lazily once the clock passed their deadlines: count only delivery's own rows.
        parts.Add("audit=" + await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM challenge_audit WHERE {DeliveryKinds("action")} OR action IN ('delivery_started', 'completed', 'failed')"));
        parts.Add("notifications=" + await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM notifications WHERE {DeliveryKinds("kind")}"));
        parts.Add(string.Join(",", await connection.QueryAsync<string>(
            "SELECT status FROM challenges WHERE status IN ('awarded', 'in_delivery', 'completed', 'failed') ORDER BY id")));
        return string.Join("|", parts);
    }

    private static string DeliveryKinds(string column) =>
        $"({column} LIKE 'milestone%' OR {column} LIKE 'delivery%' OR {column} LIKE 'stage%' OR {column} LIKE 'portfolio%')";

    public static async Task<int> NotificationCountAsync(this MarketplaceFactory factory, string email, string kind)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.recipient_user_id WHERE u.email = @Email AND n.kind = @Kind", new { Email = email, Kind = kind });
    }
}
