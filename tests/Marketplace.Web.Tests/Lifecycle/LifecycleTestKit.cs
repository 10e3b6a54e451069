using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Lifecycle;

/// <summary>The people of seeds/test and the HTTP steps the lifecycle tests repeat: sign in, post a form, call the API.</summary>
public static partial class LifecycleTestKit
{
    public const string Enterprise = "enterprise@test.example";
    public const string OtherEnterprise = "enterprise2@test.example";
    public const string Vendor = "vendor@test.example";
    public const string OtherVendor = "vendor2@test.example";
    public const string Officer = "officer@test.example";
    public const string Reviewer = "reviewer@test.example";
    public const string Admin = "admin@test.example";

    /// <summary>Text the vendor's organisation is known by; it must never appear next to its questions for others.</summary>
    public static readonly string[] VendorNames = ["测试视觉科技", "Test Vision AI", "Victor Vendor", Vendor];

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Posts a form the way the browser does, with the antiforgery token of a page the user can open.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, IDictionary<string, string>? fields = null, string tokenPage = "/account/signin") =>
        await client.PostFormAsync(tokenPage, url, fields ?? new Dictionary<string, string>());

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>A complete, valid challenge form (deadline in Shanghai time, 30 days after <paramref name="now"/>).</summary>
    public static Dictionary<string, string> ChallengeForm(DateTimeOffset now, string title = "Weld-seam defect detection", string scenario = "Robot welding cells; seams are inspected by eye and 3% of defects escape.") => new()
    {
        ["Title"] = title,
        ["Industry"] = "machinery",
        ["Language"] = "en",
        ["Scenario"] = scenario,
        ["CurrentProcess"] = "Two inspectors per shift.",
        ["DataAvailable"] = "40,000 seam images, 3,000 labelled.",
        ["Constraints"] = "On-premise; 100 ms per seam.",
        ["AcceptanceTargets[0].Metric"] = "Defect recall",
        ["AcceptanceTargets[0].Threshold"] = "≥ 98%",
        ["AcceptanceTargets[0].TestMethod"] = "2,000 held-out images at ≤ 1% false alarms",
        ["AcceptanceTargets[1].Metric"] = "",
        ["ExpectedOutcome"] = "Inline inspection on two cells.",
        ["TargetTrl"] = "7",
        ["BudgetAmount"] = "800000",
        ["BudgetCurrency"] = "CNY",
        ["DeadlineLocal"] = now.AddDays(30).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
        ["TimeZone"] = "Asia/Shanghai",
        ["Tags"] = "computer-vision",
        ["AttachmentLinks"] = "https://files.example.cn/weld-spec.pdf",
        ["Visibility"] = "public",
    };

    /// <summary>A complete, valid challenge for the API.</summary>
    public static object ChallengeJson(DateTimeOffset now, string title = "Cold-chain temperature anomaly detection", string scenario = "Reefer trucks log temperatures every minute; excursions are found days later.") => new
    {
        title,
        industry = "logistics",
        language = "en",
        scenario,
        acceptanceTargets = new[] { new { metric = "Excursions detected within 10 minutes", threshold = "≥ 95%", testMethod = "Replay of three months of logs" } },
        targetTrl = 6,
        budgetAmount = 300000,
        budgetCurrency = "CNY",
        deadlineAt = now.AddDays(30),
        tags = new[] { "anomaly-detection", "time-series" },
        visibility = "public",
    };

    /// <summary>A draft challenge (<see cref="ChallengeJson"/>) posted through the API by <paramref name="email"/>, an enterprise member; returns its id.</summary>
    public static async Task<long> DraftThroughApiAsync(this MarketplaceFactory factory, string email, string title)
    {
        using var author = await factory.ApiClientAsync(email);
        using var created = await author.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: title));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.JsonAsync()).GetProperty("id").GetInt64();
    }

    /// <summary>
    /// A draft posted through the API by <paramref name="email"/>, submitted for screening and published by the officer:
    /// open for proposals for 30 days from the application's clock. Returns its id.
    /// </summary>
    public static async Task<long> PublishedThroughApiAsync(this MarketplaceFactory factory, string email, string title)
    {
        var id = await factory.DraftThroughApiAsync(email, title);
        using (var author = await factory.ApiClientAsync(email))
        using (var submitted = await author.PostAsync($"/api/v1/challenges/{id}/submit", null))
        {
            Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        }

        using var officer = await factory.ApiClientAsync(Officer);
        using var published = await officer.PostAsJsonAsync($"/api/v1/challenges/{id}/publish", new { });
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        return id;
    }

    /// <summary>The id of the newest challenge on the "My challenges" page.</summary>
    public static async Task<long> NewestOfMineAsync(HttpClient enterprise)
    {
        var html = await enterprise.GetHtmlAsync("/my/challenges");
        var match = ChallengeRow().Match(html);
        Assert.True(match.Success, "No challenge on the My challenges page.");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    public static async Task<long> SeededChallengeIdAsync(MarketplaceFactory factory, string title)
    {
        var client = await factory.ApiClientAsync(null);
        var list = await (await client.GetAsync("/api/v1/challenges?pageSize=100")).JsonAsync();
        return list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetString() == title).GetProperty("id").GetInt64();
    }

    [GeneratedRegex("data-challenge-id=\"(\\d+)\"")]
    private static partial Regex ChallengeRow();
}
