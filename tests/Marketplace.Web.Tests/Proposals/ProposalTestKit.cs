using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Proposals;

/// <summary>The people of seeds/test, their challenges, and the HTTP steps the proposal tests repeat.</summary>
public static partial class ProposalTestKit
{
    public const string Vendor = "vendor@test.example";
    public const string OtherVendor = "vendor2@test.example";
    public const string Enterprise = "enterprise@test.example";
    public const string OtherEnterprise = "enterprise2@test.example";
    public const string Officer = "officer@test.example";
    public const string Reviewer = "reviewer@test.example";
    public const string Admin = "admin@test.example";

    /// <summary>Posted by ent-test-steel, open for 30 days, one acceptance target.</summary>
    public const string StripChallenge = "冷轧带钢表面缺陷在线检测";

    /// <summary>Confidential, posted by ent-test-steel.</summary>
    public const string ConfidentialChallenge = "Blast furnace hot-metal silicon prediction";

    public static async Task<long> ChallengeIdAsync(this MarketplaceFactory factory, string title)
    {
        // Starting the host migrates and seeds the database.
        _ = factory.Services;
        await using var connection = await factory.Database.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM challenges WHERE title = @Title", new { Title = title });
    }

    /// <summary>Rows in the proposal tables, to prove a refused request wrote nothing.</summary>
    public static async Task<string> ProposalCountsAsync(this MarketplaceFactory factory)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        var proposals = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM proposals");
        var versions = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM proposal_versions");
        var prices = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM proposal_price_envelopes");
        var states = await connection.QueryAsync<string>("SELECT status FROM proposals ORDER BY id");
        return $"{proposals},{versions},{prices}|{string.Join(",", states)}";
    }

    /// <summary>Moves the application's clock past every seeded open deadline (the longest is 45 days).</summary>
    public static void PassTheDeadlines(this MarketplaceFactory factory) => factory.Clock.Advance(TimeSpan.FromDays(46));

    /// <summary>A complete proposal to the strip challenge (one target), milestones after its 30-day deadline.</summary>
    public static object ValidRequest(MarketplaceFactory factory, string approach = "Line-scan cameras, a segmentation model on an edge GPU.", decimal price = 980000m, bool draft = false, string[]? partners = null)
    {
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
        return new
        {
            draft,
            approach,
            targetAnswers = new[] { "99.1% recall on 2,000 held-out images in our 2024 pilot." },
            currentTrl = 6,
            deliveryTrl = 8,
            team = "Five engineers; two ran hot-strip inspection at a steel mill.",
            milestones = new[]
            {
                new { name = "Pilot", dueOn = today.AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), deliverable = "Pilot on line 2", paymentShare = 40m },
                new { name = "Acceptance", dueOn = today.AddDays(120).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), deliverable = "Acceptance test passed", paymentShare = 60m },
            },
            partners = partners ?? [],
            priceAmount = price,
            priceCurrency = "CNY",
            paymentTerms = "Per accepted milestone, within 30 days.",
        };
    }

    /// <summary>The same proposal as the page form posts it.</summary>
    public static Dictionary<string, string> ValidForm(MarketplaceFactory factory, string approach = "Line-scan cameras, a segmentation model on an edge GPU.", string intent = "submit")
    {
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
        return new Dictionary<string, string>
        {
            ["intent"] = intent,
            ["Approach"] = approach,
            ["TargetAnswers[0]"] = "99.1% recall on 2,000 held-out images in our 2024 pilot.",
            ["CurrentTrl"] = "6",
            ["DeliveryTrl"] = "8",
            ["Team"] = "Five engineers.",
            ["Milestones[0].Name"] = "Pilot",
            ["Milestones[0].DueOn"] = today.AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Milestones[0].Deliverable"] = "Pilot on line 2",
            ["Milestones[0].PaymentShare"] = "40",
            ["Milestones[1].Name"] = "Acceptance",
            ["Milestones[1].DueOn"] = today.AddDays(120).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Milestones[1].Deliverable"] = "Acceptance test passed",
            ["Milestones[1].PaymentShare"] = "60",
            ["Milestones[2].Name"] = "",
            ["Partners[0]"] = "",
            ["PriceAmount"] = "980000",
            ["PriceCurrency"] = "CNY",
            ["PaymentTerms"] = "Per accepted milestone.",
        };
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Submits the valid proposal through the API as <paramref name="email"/> and returns its id.</summary>
    public static async Task<long> SubmitThroughApiAsync(this MarketplaceFactory factory, string email, long challengeId)
    {
        using var api = await factory.ApiClientAsync(email);
        using var response = await api.PostAsJsonAsync($"/api/v1/challenges/{challengeId}/proposals", ValidRequest(factory));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("proposalId").GetInt64();
    }

    [GeneratedRegex(@"data-testid=""fingerprint""[^>]*title=""([0-9a-f]{64})""")]
    private static partial Regex FingerprintPattern();

    public static string? Fingerprint(string html) => FingerprintPattern().Match(html) is { Success: true } match ? match.Groups[1].Value : null;
}
