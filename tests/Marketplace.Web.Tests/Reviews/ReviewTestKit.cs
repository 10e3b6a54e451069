using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Marketplace.Core.Features.Challenges;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Reviews;

/// <summary>The review steps the tests repeat, through the API: assign, accept, score, close technical scoring.</summary>
public static class ReviewTestKit
{
    public const string Reviewer2 = "reviewer2@test.example";
    public const string Reviewer3 = "reviewer3@test.example";

    public static async Task<long> UserIdAsync(this MarketplaceFactory factory, string email)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM users WHERE email = @Email", new { Email = email });
    }

    /// <summary>
    /// Assigns the reviewer to every submitted proposal of the challenge; returns the new assignment ids. A challenge
    /// past its deadline is closed first, as the scheduler would have (assigning never closes one itself).
    /// </summary>
    public static async Task<IReadOnlyList<long>> AssignAsync(this MarketplaceFactory factory, long challengeId, string reviewerEmail)
    {
        await factory.CloseDueChallengesAsync();
        using var officer = await factory.ApiClientAsync(ProposalTestKit.Officer);
        using var response = await officer.PostAsJsonAsync($"/api/v1/challenges/{challengeId}/review/assignments", new { reviewerUserId = await factory.UserIdAsync(reviewerEmail) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("assigned").EnumerateArray().Select(a => a.GetProperty("assignmentId").GetInt64()).ToList();
    }

    /// <summary>The scheduler's work, run explicitly: closes every published challenge whose deadline has passed.</summary>
    public static Task<int> CloseDueChallengesAsync(this MarketplaceFactory factory) =>
        factory.Services.GetRequiredService<ChallengeCloser>().CloseDueChallengesAsync();

    public static async Task<IReadOnlyList<long>> CriterionIdsAsync(this MarketplaceFactory factory, long challengeId)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        return (await connection.QueryAsync<long>("SELECT id FROM review_criteria WHERE challenge_id = @Id ORDER BY position", new { Id = challengeId })).ToList();
    }

    /// <summary>The reviewer accepts the assignment and scores every criterion with <paramref name="score"/>.</summary>
    public static async Task AcceptAndScoreAsync(this MarketplaceFactory factory, string reviewerEmail, long assignmentId, long challengeId, int score, string comment = "Sound approach.")
    {
        using var reviewer = await factory.ApiClientAsync(reviewerEmail);
        using (var accepted = await reviewer.PostAsync($"/api/v1/reviews/{assignmentId}/accept", null))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using var scored = await reviewer.PostAsJsonAsync($"/api/v1/reviews/{assignmentId}/scores", ScoresBody(await factory.CriterionIdsAsync(challengeId), score, comment));
        Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
    }

    public static object ScoresBody(IReadOnlyList<long> criteria, int score, string comment = "Sound approach.") =>
        new { scores = criteria.Select(c => new { criterionId = c, score, comment }).ToArray() };

    /// <summary>One reviewer is assigned to, accepts and scores every proposal (technical scoring stays open).</summary>
    public static async Task ReviewAllAsync(this MarketplaceFactory factory, long challengeId, int score = 7)
    {
        foreach (var assignment in await factory.AssignAsync(challengeId, ProposalTestKit.Reviewer))
        {
            await factory.AcceptAndScoreAsync(ProposalTestKit.Reviewer, assignment, challengeId, score);
        }
    }

    /// <summary>One reviewer reviews every proposal, then the officer closes technical scoring (the price envelopes open).</summary>
    public static async Task ReviewAndCloseAsync(this MarketplaceFactory factory, long challengeId, int score = 7)
    {
        await factory.ReviewAllAsync(challengeId, score);

        using var officer = await factory.ApiClientAsync(ProposalTestKit.Officer);
        using var closed = await officer.PostAsync($"/api/v1/challenges/{challengeId}/review/close", null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
    }

    /// <summary>Rows of the review and award tables, to prove a refused request wrote nothing.</summary>
    public static async Task<string> ReviewCountsAsync(this MarketplaceFactory factory)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        var parts = new List<string>();
        foreach (var table in new[] { "review_assignments", "review_criteria", "review_scores", "award_decisions", "award_winners", "award_feedback", "price_envelope_openings", "challenge_audit", "notifications", "match_signals" })
        {
            parts.Add($"{table}={await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM {table}")}");
        }

        var states = await connection.QueryAsync<string>("SELECT status FROM review_assignments ORDER BY id");
        var challenges = await connection.QueryAsync<string>("SELECT status FROM challenges ORDER BY id");
        return string.Join(",", parts) + "|" + string.Join(",", states) + "|" + string.Join(",", challenges);
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }
}
