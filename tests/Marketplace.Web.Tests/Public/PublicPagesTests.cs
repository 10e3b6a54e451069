using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Public;

/// <summary>The pages and API a visitor sees without signing in, on the seeds/test data.</summary>
public sealed class PublicPagesTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    [Fact]
    public async Task HomePage_ShowsCountsAndNewestChallenges()
    {
        var client = factory.CreateBrowserClient();

        var html = await client.GetHtmlAsync("/");

        Assert.Contains("AI + Industry Challenge Marketplace", html, StringComparison.Ordinal);
        Assert.Contains("冷轧带钢表面缺陷在线检测", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"open-count\">3<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomePage_InChinese_IsTranslated()
    {
        var client = factory.CreateBrowserClient("zh-CN");

        var html = await client.GetHtmlAsync("/");

        Assert.Contains("人工智能+产业 场景揭榜平台", html, StringComparison.Ordinal);
        Assert.Contains("浏览征集中的榜单", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChallengeList_ShowsPublishedAndClosed_ButConfidentialOnlyAsATeaserlessCard()
    {
        var client = factory.CreateBrowserClient();

        var html = await client.GetHtmlAsync("/challenges");

        Assert.Contains("4 challenges", html, StringComparison.Ordinal);
        Assert.Contains("Warehouse pick-path optimisation", html, StringComparison.Ordinal);
        Assert.Contains("Blast furnace hot-metal silicon prediction", html, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-SCENARIO-TEXT", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChallengeList_FiltersByIndustryAndText()
    {
        var client = factory.CreateBrowserClient();

        var logistics = await client.GetHtmlAsync("/challenges?industry=logistics&open=true");
        var chinese = await client.GetHtmlAsync("/challenges?q=" + Uri.EscapeDataString("带钢"));

        Assert.Contains("1 challenge<", logistics, StringComparison.Ordinal);
        Assert.Contains("Cold-chain route planning", logistics, StringComparison.Ordinal);
        Assert.Contains("冷轧带钢表面缺陷在线检测", chinese, StringComparison.Ordinal);
        Assert.DoesNotContain("Cold-chain route planning", chinese, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChallengeList_WithUnknownFilterValues_Answers400WithAMessage()
    {
        var client = factory.CreateBrowserClient();

        var response = await client.GetAsync("/challenges?industry=mining&pageSize=500");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown industry", html, StringComparison.Ordinal);
        Assert.Contains("pageSize must be between 1 and 100", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChallengeList_FiltersByBudgetRangeAndClosingDate()
    {
        var client = factory.CreateBrowserClient();
        var inTwentyFiveDays = DateOnly.FromDateTime(factory.Clock.GetUtcNow().AddDays(25).UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var midBudget = await client.GetHtmlAsync("/challenges?budgetMin=350000&budgetMax=1500000&currency=CNY");
        var otherCurrency = await client.GetHtmlAsync("/challenges?budgetMin=1&currency=USD");
        var closingSoon = await client.GetHtmlAsync($"/challenges?closesBy={inTwentyFiveDays}&open=true");
        var api = await client.GetFromJsonAsync<JsonElement>("/api/v1/challenges?budgetMax=500000");

        Assert.Contains("2 challenges", midBudget, StringComparison.Ordinal);
        Assert.Contains("冷轧带钢表面缺陷在线检测", midBudget, StringComparison.Ordinal);
        Assert.Contains("Cold-chain route planning", midBudget, StringComparison.Ordinal);
        Assert.Contains("0 challenges", otherCurrency, StringComparison.Ordinal);
        Assert.Contains("1 challenge<", closingSoon, StringComparison.Ordinal);
        Assert.Contains("Cold-chain route planning", closingSoon, StringComparison.Ordinal);
        Assert.Equal(2, api.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("budgetMin=abc", "budgetMin")]
    [InlineData("budgetMin=900&budgetMax=100", "budgetMax")]
    [InlineData("closesBy=tomorrow", "closesBy")]
    [InlineData("currency=RMB1", "currency")]
    public async Task ChallengeList_WithAnUnreadableFilter_SaysSo_OnThePageAndInTheApi(string query, string field)
    {
        var client = factory.CreateBrowserClient();

        var page = await client.GetAsync("/challenges?" + query);
        var api = await client.GetAsync("/api/v1/challenges?" + query);
        using var body = JsonDocument.Parse(await api.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("text-danger", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.True(body.RootElement.GetProperty("errors").EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)), $"errors should name {field}");
    }

    [Fact]
    public async Task ChallengeDetail_ShowsTheStructuredScenario()
    {
        var client = factory.CreateBrowserClient();
        var id = await IdOfAsync(client, "冷轧带钢表面缺陷在线检测");

        var html = await client.GetHtmlAsync($"/challenges/{id}");

        Assert.Contains("12 万张线扫图像", html, StringComparison.Ordinal);
        Assert.Contains("≥ 98%", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"acceptance-targets\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfidentialChallengeDetail_WithholdsTheBodyFromVisitors()
    {
        var client = factory.CreateBrowserClient();
        var id = await IdOfAsync(client, "Blast furnace hot-metal silicon prediction");

        var html = await client.GetHtmlAsync($"/challenges/{id}");
        var api = await client.GetStringAsync($"/api/v1/challenges/{id}");

        Assert.Contains("data-testid=\"confidential-notice\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-SCENARIO-TEXT", html, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-SCENARIO-TEXT", api, StringComparison.Ordinal);
        Assert.DoesNotContain("Five years of DCS data", api, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownChallenge_IsAFriendly404Page()
    {
        var client = factory.CreateBrowserClient();

        var response = await client.GetAsync("/challenges/987654");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VendorDirectory_AndProfile_ShowPortfolioCases()
    {
        var client = factory.CreateBrowserClient();

        var list = await client.GetHtmlAsync("/vendors?capability=route-optimization");
        var profile = await client.GetHtmlAsync("/vendors/ven-test-vision");

        Assert.Contains("Test Routing Labs", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Test Vision AI", list, StringComparison.Ordinal);
        Assert.Contains("热轧板表面检测", profile, StringComparison.Ordinal);
        Assert.Contains("PCB AOI 复判", profile, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/vendors/no-such-vendor")).StatusCode);
    }

    [Fact]
    public async Task Health_ReportsTheDatabase()
    {
        var client = factory.CreateBrowserClient();

        var response = await client.GetAsync("/health");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("database", body.RootElement.GetProperty("checks")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Api_ListsChallengesPaged_WithItemsAndTotal()
    {
        var client = factory.CreateBrowserClient();

        var first = await client.GetFromJsonAsync<JsonElement>("/api/v1/challenges?page=1&pageSize=3");
        var second = await client.GetFromJsonAsync<JsonElement>("/api/v1/challenges?page=2&pageSize=3");

        Assert.Equal(4, first.GetProperty("total").GetInt32());
        Assert.Equal(3, first.GetProperty("items").GetArrayLength());
        Assert.Equal(1, second.GetProperty("items").GetArrayLength());
        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(i => i.GetProperty("id").GetInt64());
        Assert.Equal(4, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("language=fr", "language")]
    [InlineData("sort=random", "sort")]
    public async Task Api_WithBadQuery_Answers400ProblemDetailsNamingTheField(string query, string field)
    {
        var client = factory.CreateBrowserClient();

        var response = await client.GetAsync("/api/v1/challenges?" + query);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}'");
    }

    [Fact]
    public async Task Api_UnknownChallenge_Is404ProblemDetails()
    {
        var client = factory.CreateBrowserClient();

        var response = await client.GetAsync("/api/v1/challenges/987654");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, body.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("987654", body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_UnknownRoute_Is404ProblemDetails_NotAnHtmlPage()
    {
        var client = factory.CreateBrowserClient();

        var response = await client.GetAsync("/api/v1/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApiDocument_IsServed()
    {
        var client = factory.CreateBrowserClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/challenges", out _));
    }

    private static async Task<long> IdOfAsync(HttpClient client, string title)
    {
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/challenges?pageSize=100");
        return list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetString() == title).GetProperty("id").GetInt64();
    }
}
