using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;
using Marketplace.Web.Tests.Reviews;

namespace Marketplace.Web.Tests.Delivery;

/// <summary>The steps the delivery tests repeat: an awarded challenge, its projects, and counts that prove a refusal changed nothing.</summary>
public static class DeliveryTestKit
{
    /// <summary>
    /// Brings a seeds/test challenge to Awarded the way the programme runs it: the vendors' proposals are submitted
    /// through the API, the fake clock passes the deadline, one reviewer is assigned, accepts and scores every
    /// proposal, the officer closes technical scoring and awards every bidder. Returns the challenge id and the
    /// winning proposal ids.
    /// </summary>
    public static async Task<(long ChallengeId, IReadOnlyList<long> ProposalIds)> AwardAsync(MarketplaceFactory factory, string challengeTitle, params string[] winnerEmails)
    {
        var challengeId = await factory.ChallengeIdAsync(challengeTitle);
        var proposals = new List<long>();
        foreach (var email in winnerEmails)
        {
            proposals.Add(await factory.SubmitThroughApiAsync(email, challengeId));
        }

        // The real path: deadline, review by one reviewer, technical scoring closed, every bidder a winner.
        factory.PassTheDeadlines();
        await factory.ReviewAndCloseAsync(challengeId);
        using var officer = await factory.ApiClientAsync(ProposalTestKit.Officer);
        using var decided = await officer.PostAsJsonAsync($"/api/v1/challenges/{challengeId}/award", new { winners = proposals, reason = "Met every acceptance target in review." });
        Assert.Equal(HttpStatusCode.Created, decided.StatusCode);
        return (challengeId, proposals);
    }

    /// <summary>Starts delivery through the API as the enterprise (201, Location: the challenge's projects) and returns the project ids.</summary>
    public static async Task<IReadOnlyList<long>> StartDeliveryAsync(MarketplaceFactory factory, long challengeId, string email = ProposalTestKit.Enterprise)
    {
        using var client = await factory.ApiClientAsync(email);
        using var response = await client.PostAsJsonAsync($"/api/v1/challenges/{challengeId}/delivery/start", new { note = "Contract signed on site." });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/delivery-projects?challengeId={challengeId}", response.Headers.Location?.OriginalString);
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
        // Other seeded challenges may be closed meanwhile (their deadlines passed on the fake clock): count only delivery's own rows.
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
