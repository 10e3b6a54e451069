using System.Net;
using System.Net.Http.Json;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Lifecycle.LifecycleTestKit;

namespace Marketplace.Web.Tests.Lifecycle;

/// <summary>Optimistic concurrency, bad input on every form and endpoint, confidential challenges and the NDA, in pages and API.</summary>
public sealed class DraftingAndScreeningTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    private Task<long> DraftViaApiAsync(string title = "Cold-chain temperature anomaly detection") => factory.DraftThroughApiAsync(Enterprise, title);

    private async Task<int> CountMineAsync() =>
        (await (await (await factory.ApiClientAsync(Enterprise)).GetAsync("/api/v1/my/challenges")).JsonAsync()).GetArrayLength();

    [Fact]
    public async Task TwoEditorsOnTheSamePage_TheSecondSaveIsAConflict_AndOverwritesNothing()
    {
        var id = await DraftViaApiAsync("Original title");
        var first = await factory.SignedInBrowserAsync(Enterprise);
        var second = await factory.SignedInBrowserAsync(Enterprise);
        var formOfFirst = await first.GetHtmlAsync($"/my/challenges/{id}/edit");
        var formOfSecond = await second.GetHtmlAsync($"/my/challenges/{id}/edit");
        Assert.Contains("name=\"RowVersion\" value=\"1\"", formOfFirst, StringComparison.Ordinal);
        Assert.Contains("name=\"RowVersion\" value=\"1\"", formOfSecond, StringComparison.Ordinal);

        var fields = ChallengeForm(factory.Clock.GetUtcNow(), "Title saved first");
        fields["RowVersion"] = "1";
        using var saved = await first.PostFormAsync($"/my/challenges/{id}/edit", fields);
        fields["Title"] = "Title saved second";
        using var stale = await second.PostFormAsync($"/my/challenges/{id}/edit", fields);
        var html = await stale.ReadHtmlAsync();

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("Someone else saved this challenge after you opened it. Your changes were not saved", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Title saved second\"", html, StringComparison.Ordinal);
        var stored = await (await factory.ApiClientAsync(Enterprise)).GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/challenges/{id}");
        Assert.Equal("Title saved first", stored.GetProperty("title").GetString());
        Assert.Equal(2, stored.GetProperty("rowVersion").GetInt32());
    }

    [Fact]
    public async Task Api_AStalePut_Is409ProblemDetails_AndOverwritesNothing()
    {
        var id = await DraftViaApiAsync("API original");
        var api = await factory.ApiClientAsync(Enterprise);
        var body = ChallengeJson(factory.Clock.GetUtcNow(), "API first");

        using var first = await api.PutAsJsonAsync($"/api/v1/challenges/{id}", Merge(body, 1));
        using var second = await api.PutAsJsonAsync($"/api/v1/challenges/{id}", Merge(ChallengeJson(factory.Clock.GetUtcNow(), "API second"), 1));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(2, (await first.JsonAsync()).GetProperty("rowVersion").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Someone else saved this challenge", (await second.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("API first", (await (await api.GetAsync($"/api/v1/challenges/{id}")).JsonAsync()).GetProperty("title").GetString());
    }

    private static Dictionary<string, object?> Merge(object body, int rowVersion)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToElement(body, Json);
        var merged = json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        merged["rowVersion"] = rowVersion;
        return merged;
    }

    [Fact]
    public async Task NewChallengeForm_WithBadInput_ShowsAMessageBesideEachField_AndSavesNothing()
    {
        var before = await CountMineAsync();
        var client = await factory.SignedInBrowserAsync(Enterprise);
        var fields = ChallengeForm(factory.Clock.GetUtcNow());
        fields["Title"] = "";
        fields["Industry"] = "mining";
        fields["AcceptanceTargets[0].Threshold"] = "";
        fields["TargetTrl"] = "12";
        fields["BudgetCurrency"] = "yuan";
        fields["DeadlineLocal"] = "2020-01-01T10:00";
        fields["AttachmentLinks"] = "javascript:alert(1)";

        using var response = await client.PostFormAsync("/my/challenges/new", fields);
        var html = await response.ReadHtmlAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Enter a title.", AccountTestKit.FieldError(html, "Title"));
        Assert.Equal("Choose an industry from the list.", AccountTestKit.FieldError(html, "Industry"));
        Assert.Equal("Give the threshold to reach, e.g. ≥ 98%.", AccountTestKit.FieldError(html, "AcceptanceTargets[0].Threshold"));
        Assert.Equal("The target TRL must be between 1 and 9.", AccountTestKit.FieldError(html, "TargetTrl"));
        Assert.Equal("The currency must be a three-letter ISO code such as CNY, USD or EUR.", AccountTestKit.FieldError(html, "BudgetCurrency"));
        Assert.Equal("The deadline must be in the future.", AccountTestKit.FieldError(html, "DeadlineLocal"));
        Assert.Equal("Each attachment must be a web link starting with http:// or https://.", AccountTestKit.FieldError(html, "AttachmentLinks"));
        Assert.Contains("value=\"Defect recall\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await CountMineAsync());
    }

    [Fact]
    public async Task NewChallengeForm_InChinese_ShowsTranslatedMessages()
    {
        var client = await factory.SignedInBrowserAsync(Enterprise, "zh-CN");
        var fields = ChallengeForm(factory.Clock.GetUtcNow());
        fields["Title"] = "";
        fields["DeadlineLocal"] = "next Friday";

        using var response = await client.PostFormAsync("/my/challenges/new", fields);
        var html = await response.ReadHtmlAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("新建榜单", html, StringComparison.Ordinal);
        Assert.Equal("请输入标题。", AccountTestKit.FieldError(html, "Title"));
        Assert.Equal("请按日期和时间填写截止时间，例如 2026-12-31 18:00。", AccountTestKit.FieldError(html, "DeadlineLocal"));
    }

    [Fact]
    public async Task Deadline_IsEnteredInTheChosenTimeZone_AndStoredInUtc()
    {
        var client = await factory.SignedInBrowserAsync(Enterprise);
        var fields = ChallengeForm(factory.Clock.GetUtcNow(), "Time zone check");
        var year = factory.Clock.GetUtcNow().Year + 1;
        fields["DeadlineLocal"] = $"{year}-03-01T18:00";
        fields["TimeZone"] = "Asia/Shanghai";

        using var response = await client.PostFormAsync("/my/challenges/new", fields);
        var mine = await (await (await factory.ApiClientAsync(Enterprise)).GetAsync("/api/v1/my/challenges")).JsonAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = mine.EnumerateArray().First(c => c.GetProperty("title").GetString() == "Time zone check");
        Assert.Equal(new DateTimeOffset(year, 3, 1, 10, 0, 0, TimeSpan.Zero), stored.GetProperty("deadlineAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Api_BadInput_IsAValidationProblemPerField_AndSavesNothing()
    {
        var before = await CountMineAsync();
        var api = await factory.ApiClientAsync(Enterprise);

        using var response = await api.PostAsJsonAsync("/api/v1/challenges", new { title = "", industry = "mining", targetTrl = 0, deadlineAt = factory.Clock.GetUtcNow().AddDays(-1), acceptanceTargets = Array.Empty<object>() });
        var problem = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "title", "industry", "scenario", "acceptanceTargets", "targetTrl", "deadlineAt", "language" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}");
        }

        Assert.Equal(before, await CountMineAsync());
    }

    [Fact]
    public async Task ScreeningReasons_AreRequired_AndTheEnterpriseSeesThem()
    {
        var id = await DraftViaApiAsync("Needs more detail");
        var enterprise = await factory.ApiClientAsync(Enterprise);
        Assert.Equal(HttpStatusCode.OK, (await enterprise.PostAsJsonAsync($"/api/v1/challenges/{id}/submit", new { })).StatusCode);
        var officer = await factory.SignedInBrowserAsync(Officer);

        using var withoutReason = await officer.PostFormAsync($"/screening/challenges/{id}/return", new Dictionary<string, string> { ["reason"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        var refusedPage = await withoutReason.ReadHtmlAsync();
        Assert.Contains("Say what the enterprise should change.", refusedPage, StringComparison.Ordinal);
        // The message sits beside the reason field, which is marked invalid and tied to it.
        Assert.Matches("id=\"reason-return\"[^>]*aria-invalid=\"true\"", refusedPage);
        using var apiWithoutReason = await (await factory.ApiClientAsync(Officer)).PostAsJsonAsync($"/api/v1/challenges/{id}/reject", new { });
        Assert.Equal(HttpStatusCode.BadRequest, apiWithoutReason.StatusCode);

        using var returned = await officer.PostFormAsync($"/screening/challenges/{id}/return", new Dictionary<string, string> { ["reason"] = "Say how much labelled data you have and where it is stored." });
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);

        var page = await (await factory.SignedInBrowserAsync(Enterprise)).GetHtmlAsync("/my/challenges");
        Assert.Contains("Say how much labelled data you have and where it is stored.", page, StringComparison.Ordinal);
        Assert.Contains("Returned for changes", page, StringComparison.Ordinal);
        var kinds = (await (await enterprise.GetAsync("/api/v1/notifications?pageSize=100")).JsonAsync()).GetProperty("items").EnumerateArray()
            .Where(n => n.GetProperty("challengeId").GetInt64() == id).Select(n => n.GetProperty("kind").GetString());
        Assert.Contains("challenge_returned", kinds);

        using var illegal = await (await factory.SignedInBrowserAsync(Enterprise)).PostFormAsync($"/my/challenges/{id}/withdraw");
        using var again = await (await factory.SignedInBrowserAsync(Enterprise)).PostFormAsync($"/my/challenges/{id}/withdraw");
        Assert.Equal(HttpStatusCode.Redirect, illegal.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("This challenge can no longer be withdrawn.", await again.ReadHtmlAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfidentialChallenge_IsRedactedForVendors_UntilTheirOrganisationAcceptsTheNda()
    {
        var id = await SeededChallengeIdAsync(factory, "Blast furnace hot-metal silicon prediction");
        var vendor = await factory.SignedInBrowserAsync(OtherVendor);
        var vendorApi = await factory.ApiClientAsync(OtherVendor);
        var otherVendorApi = await factory.ApiClientAsync(Vendor);

        var before = await vendor.GetHtmlAsync($"/challenges/{id}");
        var apiBefore = await vendorApi.GetStringAsync($"/api/v1/challenges/{id}");
        Assert.DoesNotContain("SECRET-SCENARIO-TEXT", before, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-SCENARIO-TEXT", apiBefore, StringComparison.Ordinal);
        Assert.Contains($"/challenges/{id}/nda", before, StringComparison.Ordinal);
        Assert.Contains("Confidentiality terms (NDA)", await vendor.GetHtmlAsync($"/challenges/{id}/nda"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendorApi.PostAsJsonAsync($"/api/v1/challenges/{id}/questions", new { question = "May we visit?" })).StatusCode);

        using var accepted = await vendor.PostFormAsync($"/challenges/{id}/nda");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);

        Assert.Contains("SECRET-SCENARIO-TEXT", await vendor.GetHtmlAsync($"/challenges/{id}"), StringComparison.Ordinal);
        Assert.Contains("SECRET-SCENARIO-TEXT", await vendorApi.GetStringAsync($"/api/v1/challenges/{id}"), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-SCENARIO-TEXT", await otherVendorApi.GetStringAsync($"/api/v1/challenges/{id}"), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-SCENARIO-TEXT", await (await factory.ApiClientAsync(null)).GetStringAsync($"/api/v1/challenges/{id}"), StringComparison.Ordinal);
        Assert.Contains("Your organisation has accepted these terms.", await vendor.GetHtmlAsync($"/challenges/{id}/nda"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NegativeList_OfficersAddAnEntry_AndItFlagsTheNextScreening()
    {
        var officer = await factory.SignedInBrowserAsync(Officer);
        using var empty = await officer.PostFormAsync("/screening/negative-list", new Dictionary<string, string> { ["Form.Phrase"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.StartsWith("Enter the phrase to look for", AccountTestKit.FieldError(await empty.ReadHtmlAsync(), "Form.Phrase"), StringComparison.Ordinal);

        using var added = await officer.PostFormAsync("/screening/negative-list", new Dictionary<string, string>
        {
            ["Form.Phrase"] = "temperature + excursion",
            ["Form.LabelZh"] = "测试条目",
            ["Form.LabelEn"] = "Test entry for cold chains",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var id = await DraftViaApiAsync("Flag me");

        var report = await (await (await factory.ApiClientAsync(Officer)).GetAsync($"/api/v1/challenges/{id}/screening")).JsonAsync();

        Assert.Contains(report.GetProperty("flags").EnumerateArray(), f => f.GetProperty("labelEn").GetString() == "Test entry for cold chains");
        Assert.Contains("Test entry for cold chains", await officer.GetHtmlAsync("/screening/negative-list"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditingAPublishedChallengeOnThePage_PublishesANewVersion_AndNotifiesTheVendorsFollowingIt()
    {
        var id = await SeededChallengeIdAsync(factory, "Cold-chain route planning for 300 daily drops");
        using var asked = await (await factory.ApiClientAsync(OtherVendor)).PostAsJsonAsync($"/api/v1/challenges/{id}/questions", new { question = "How many depots?" });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var owner = await factory.SignedInBrowserAsync(OtherEnterprise);
        var form = await owner.GetHtmlAsync($"/my/challenges/{id}/edit");
        Assert.Contains("Saving creates a new version", form, StringComparison.Ordinal);
        var rowVersion = System.Text.RegularExpressions.Regex.Match(form, "name=\"RowVersion\" value=\"(\\d+)\"").Groups[1].Value;
        var fields = ChallengeForm(factory.Clock.GetUtcNow(), "Cold-chain route planning for 300 daily drops", "Routes for 300 pharmacies a day; now also two new depots.");
        fields["RowVersion"] = rowVersion;
        fields["ChangeNote"] = "Two new depots added to the scope.";

        using var saved = await owner.PostFormAsync($"/my/challenges/{id}/edit", fields);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("Version 2 is published.", await owner.GetHtmlAsync("/my/challenges"), StringComparison.Ordinal);
        var screening = await (await factory.SignedInBrowserAsync(Officer)).GetHtmlAsync($"/screening/challenges/{id}");
        Assert.Contains("v2", screening, StringComparison.Ordinal);
        Assert.Contains("Two new depots added to the scope.", screening, StringComparison.Ordinal);
        var vendorNotifications = await (await (await factory.ApiClientAsync(OtherVendor)).GetAsync("/api/v1/notifications")).JsonAsync();
        Assert.Contains(vendorNotifications.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "challenge_revised" && n.GetProperty("challengeId").GetInt64() == id);
        Assert.Contains("now also two new depots", await (await factory.ApiClientAsync(null)).GetStringAsync($"/api/v1/challenges/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheLifecycleEndpoints()
    {
        var document = await (await factory.ApiClientAsync(null)).GetStringAsync("/openapi/v1.json");

        foreach (var path in new[]
        {
            "/api/v1/challenges/{id}/submit", "/api/v1/challenges/{id}/publish", "/api/v1/challenges/{id}/return", "/api/v1/challenges/{id}/reject",
            "/api/v1/challenges/{id}/withdraw", "/api/v1/my/challenges", "/api/v1/challenges/{id}/questions", "/api/v1/questions/{id}/answer",
            "/api/v1/challenges/{id}/nda", "/api/v1/notifications",
        })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }

        Assert.Contains("\"put\"", document, StringComparison.Ordinal);
    }
}
