using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Matching;

/// <summary>The matcher inside the app: suggestions with reasons for the enterprise, recommendations for vendors,
/// decisions recorded, and nobody else seeing any of it. Runs on seeds/test.</summary>
public sealed class MatchingPagesTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    private const string SteelChallenge = "冷轧带钢表面缺陷在线检测";
    private const string RouteChallenge = "Cold-chain route planning for 300 daily drops";

    [Fact]
    public async Task Enterprise_SeesSuggestedVendorsWithReasons_BestFitFirst()
    {
        var client = await factory.SignedInBrowserAsync("enterprise@test.example");
        var id = await IdOfAsync(SteelChallenge);

        var html = await client.GetHtmlAsync($"/challenges/{id}");

        Assert.Contains("data-testid=\"suggested-vendors\"", html, StringComparison.Ordinal);
        var first = html.IndexOf("Test Vision AI", html.IndexOf("data-testid=\"suggested-vendors\"", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(first > 0, "the vision vendor is suggested");
        // A level with its meaning, reasons in sentences, the closest past case, and whole words (never tag ids).
        Assert.Contains("data-testid=\"match-level\"", html, StringComparison.Ordinal);
        Assert.Contains("In our labelled test set", html, StringComparison.Ordinal);
        Assert.Contains("Closest past project: 热轧板表面检测", html, StringComparison.Ordinal);
        Assert.Contains("contribution-bar", html, StringComparison.Ordinal);
        var report = html[html.IndexOf("data-testid=\"suggested-vendors\"", StringComparison.Ordinal)..];
        Assert.DoesNotContain("#computer-vision", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_SuggestionsRankTheRoutingVendorFirstForTheRoutingChallenge()
    {
        var client = await factory.ApiClientAsync("enterprise2@test.example");
        var id = await IdOfAsync(RouteChallenge);

        var suggestions = await client.GetFromJsonAsync<JsonElement>($"/api/v1/challenges/{id}/suggestions");

        var first = suggestions[0];
        Assert.Equal("ven-test-routes", first.GetProperty("vendorSlug").GetString());
        Assert.Equal(1, first.GetProperty("rank").GetInt32());
        Assert.InRange(first.GetProperty("score").GetDouble(), 0.0001, 1.0);
        var shares = first.GetProperty("reasons").GetProperty("terms").EnumerateArray().Select(t => t.GetProperty("share").GetDouble()).ToList();
        Assert.NotEmpty(shares);
        Assert.True(shares.Sum() <= 1.0001, "shares of the listed terms never exceed the whole score");
        Assert.Equal(shares.OrderDescending(), shares);
    }

    [Fact]
    public async Task OtherEnterprisesAndVendors_NeverSeeAChallengesSuggestions()
    {
        var id = await IdOfAsync(SteelChallenge);
        var otherEnterprise = await factory.SignedInBrowserAsync("enterprise2@test.example");
        var vendor = await factory.SignedInBrowserAsync("vendor@test.example");
        var anonymous = factory.CreateBrowserClient();

        Assert.DoesNotContain("suggested-vendors", await otherEnterprise.GetHtmlAsync($"/challenges/{id}"), StringComparison.Ordinal);
        Assert.DoesNotContain("suggested-vendors", await vendor.GetHtmlAsync($"/challenges/{id}"), StringComparison.Ordinal);
        Assert.DoesNotContain("suggested-vendors", await anonymous.GetHtmlAsync($"/challenges/{id}"), StringComparison.Ordinal);

        var otherApi = await factory.ApiClientAsync("enterprise2@test.example");
        var vendorApi = await factory.ApiClientAsync("vendor@test.example");
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.GetAsync($"/api/v1/challenges/{id}/suggestions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await vendorApi.GetAsync($"/api/v1/challenges/{id}/suggestions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/challenges/{id}/suggestions")).StatusCode);
    }

    [Fact]
    public async Task Officer_SeesSuggestionsOfAnyChallenge()
    {
        var officer = await factory.ApiClientAsync("officer@test.example");
        var id = await IdOfAsync(SteelChallenge);

        var response = await officer.GetAsync($"/api/v1/challenges/{id}/suggestions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Vendor_GetsRecommendations_OnTheSameScoreScale()
    {
        var vendor = await factory.SignedInBrowserAsync("vendor@test.example");
        var vendorApi = await factory.ApiClientAsync("vendor@test.example");
        var enterpriseApi = await factory.ApiClientAsync("enterprise@test.example");
        var id = await IdOfAsync(SteelChallenge);

        var html = await vendor.GetHtmlAsync("/recommendations");
        var recommendations = await vendorApi.GetFromJsonAsync<JsonElement>("/api/v1/my/recommendations");
        var suggestions = await enterpriseApi.GetFromJsonAsync<JsonElement>($"/api/v1/challenges/{id}/suggestions");

        Assert.Contains("Recommended for you", html, StringComparison.Ordinal);
        var top = recommendations[0];
        Assert.Equal(SteelChallenge, top.GetProperty("title").GetString());
        var enterpriseScore = suggestions.EnumerateArray().Single(s => s.GetProperty("vendorSlug").GetString() == "ven-test-vision").GetProperty("score").GetDouble();
        Assert.Equal(enterpriseScore, top.GetProperty("score").GetDouble(), 6);
    }

    [Fact]
    public async Task Recommendations_ShowALevelAboveTheCutOff_AndMarkChallengesAlreadyBidOn()
    {
        await using var own = new MarketplaceFactory();
        await own.InitializeAsync();
        using var vendorApi = await own.ApiClientAsync("vendor@test.example");
        var recommendations = await vendorApi.GetFromJsonAsync<JsonElement>("/api/v1/my/recommendations");
        Assert.All(recommendations.EnumerateArray(), r =>
        {
            Assert.True(r.GetProperty("level").GetString() is "high" or "medium", r.GetProperty("level").GetString());
            Assert.True(r.GetProperty("score").GetDouble() >= Marketplace.Matching.MatchLevels.RecommendationCutOff);
        });

        var steel = recommendations.EnumerateArray().First(r => r.GetProperty("title").GetString() == SteelChallenge);
        Assert.Equal(JsonValueKind.Null, steel.GetProperty("ownProposalId").ValueKind);
        var proposalId = await Marketplace.Web.Tests.Proposals.ProposalTestKit.SubmitThroughApiAsync(own, "vendor@test.example", steel.GetProperty("challengeId").GetInt64());

        var after = (await vendorApi.GetFromJsonAsync<JsonElement>("/api/v1/my/recommendations")).EnumerateArray().First(r => r.GetProperty("title").GetString() == SteelChallenge);
        Assert.Equal(proposalId, after.GetProperty("ownProposalId").GetInt64());
        var html = await (await own.SignedInBrowserAsync("vendor@test.example")).GetHtmlAsync("/recommendations");
        Assert.Contains($"href=\"/proposals/{proposalId}\" data-testid=\"already-bid\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"match-level\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recommendations_NeverQuoteAConfidentialChallengesHiddenText()
    {
        var vendorApi = await factory.ApiClientAsync("vendor2@test.example");

        var recommendations = await vendorApi.GetFromJsonAsync<JsonElement>("/api/v1/my/recommendations");

        var terms = recommendations.EnumerateArray()
            .SelectMany(r => r.GetProperty("reasons").GetProperty("terms").EnumerateArray())
            .Select(t => t.GetProperty("term").GetString()!.ToLowerInvariant());
        Assert.DoesNotContain(terms, t => t.Contains("secret", StringComparison.Ordinal) || t.Contains("swing", StringComparison.Ordinal) || t.Contains("operator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecommendationsPage_IsForVendorsOnly()
    {
        var enterprise = await factory.SignedInBrowserAsync("enterprise@test.example");

        var response = await enterprise.GetAsync("/recommendations");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Enterprise_RecordsADecision_AndItShowsOnTheSuggestion()
    {
        var id = await IdOfAsync(RouteChallenge);
        var api = await factory.ApiClientAsync("enterprise2@test.example");
        var suggestions = await api.GetFromJsonAsync<JsonElement>($"/api/v1/challenges/{id}/suggestions");
        var vendorId = suggestions[0].GetProperty("vendorId").GetInt64();

        var bad = await api.PostAsJsonAsync($"/api/v1/challenges/{id}/suggestions/{vendorId}/signals", new { kind = "hired" });
        var unknownVendor = await api.PostAsJsonAsync($"/api/v1/challenges/{id}/suggestions/999999/signals", new { kind = "invited" });
        var good = await api.PostAsJsonAsync($"/api/v1/challenges/{id}/suggestions/{vendorId}/signals", new { kind = "shortlisted" });
        var after = await api.GetFromJsonAsync<JsonElement>($"/api/v1/challenges/{id}/suggestions");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("kind must be one of", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownVendor.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, good.StatusCode);
        Assert.Equal("shortlisted", after[0].GetProperty("latestSignal").GetString());
    }

    [Fact]
    public async Task Enterprise_InvitesFromThePage_WithAnAntiforgeryProtectedForm()
    {
        var id = await IdOfAsync(SteelChallenge);
        var client = await factory.SignedInBrowserAsync("enterprise@test.example");
        var page = await client.GetHtmlAsync($"/challenges/{id}");
        var vendorId = System.Text.RegularExpressions.Regex.Match(page, $@"/challenges/{id}/suggestions/(\d+)/signal").Groups[1].Value;

        var withoutToken = await client.PostAsync($"/challenges/{id}/suggestions/{vendorId}/signal", new FormUrlEncodedContent(new Dictionary<string, string> { ["kind"] = "invited" }));
        var withToken = await client.PostFormAsync($"/challenges/{id}", $"/challenges/{id}/suggestions/{vendorId}/signal", new Dictionary<string, string> { ["kind"] = "invited" });
        var after = await client.GetHtmlAsync($"/challenges/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, withToken.StatusCode);
        Assert.Contains("data-testid=\"latest-signal\">invited<", after, StringComparison.Ordinal);
    }

    private async Task<long> IdOfAsync(string title)
    {
        var list = await factory.CreateBrowserClient().GetFromJsonAsync<JsonElement>("/api/v1/challenges?pageSize=100");
        return list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetString() == title).GetProperty("id").GetInt64();
    }
}
