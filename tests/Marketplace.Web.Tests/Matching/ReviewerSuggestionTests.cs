using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;

namespace Marketplace.Web.Tests.Matching;

/// <summary>Reviewers suggested for a proposal: only for the programme office, only once the proposal is unsealed,
/// and never a reviewer who belongs to a bidding organisation.</summary>
public sealed class ReviewerSuggestionTests
{
    [Fact]
    public async Task Officer_GetsReviewerSuggestions_OnlyAfterTheDeadline_WithConflictsLeftOut()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var challenge = await factory.ChallengeIdAsync("冷轧带钢表面缺陷在线检测");
        var proposal = await factory.SubmitThroughApiAsync("vendor@test.example", challenge);
        var url = $"/api/v1/proposals/{proposal}/reviewer-suggestions";

        var sealedAnswer = await (await factory.ApiClientAsync("officer@test.example")).GetAsync(url);
        factory.PassTheDeadlines();
        var officer = await factory.ApiClientAsync("officer@test.example");
        var suggestions = await officer.GetFromJsonAsync<JsonElement>(url);
        var vendorAnswer = await (await factory.ApiClientAsync("vendor@test.example")).GetAsync(url);
        var page = await (await factory.SignedInBrowserAsync("officer@test.example")).GetHtmlAsync($"/proposals/{proposal}");

        Assert.Equal(HttpStatusCode.NotFound, sealedAnswer.StatusCode);
        Assert.Equal("Rita Reviewer", suggestions[0].GetProperty("name").GetString());
        Assert.InRange(suggestions[0].GetProperty("score").GetDouble(), 0.0001, 1.0);
        Assert.Equal(HttpStatusCode.Forbidden, vendorAnswer.StatusCode);
        Assert.Contains("data-testid=\"suggested-reviewers\"", page, StringComparison.Ordinal);

        // The reviewer joins the bidding vendor's organisation: now conflicted, no longer suggested.
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO memberships (user_id, organisation_id, is_owner, created_at)
                SELECT u.id, o.id, 0, '2026-01-01T00:00:00Z' FROM users u, organisations o
                WHERE u.normalized_email = 'REVIEWER@TEST.EXAMPLE' AND o.slug = 'ven-test-vision'
                """);
        }

        var afterConflict = await officer.GetFromJsonAsync<JsonElement>(url);
        Assert.DoesNotContain(afterConflict.EnumerateArray(), s => s.GetProperty("name").GetString() == "Rita Reviewer");
    }
}
