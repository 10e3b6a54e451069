using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Jobs;
using static Marketplace.Web.Tests.Lifecycle.LifecycleTestKit;

namespace Marketplace.Web.Tests.Vendors;

/// <summary>The vendor profile editor through HTTP: the pages, the API twins, who may use them, and the rematch a save asks for.</summary>
public sealed class VendorProfileEditorTests
{
    private const string Page = "/my/vendor-profile";

    private static readonly string[] UnknownTags = ["telepathy"];

    private static readonly string[] ApiTags = ["surface-inspection", "edge-ai"];

    private static readonly string[] Steel = ["steel"];

    private static Dictionary<string, string> ProfileFields(string summary = "Line-scan inspection of steel strip and PCBs with deep learning; 40 lines in production.",
        string trl = "7", params string[] capabilities)
    {
        var fields = new Dictionary<string, string> { ["Summary"] = summary, ["Language"] = "en", ["MaxTrlDelivered"] = trl, ["Industries[0]"] = "steel", ["Industries[1]"] = "energy" };
        var tags = capabilities.Length == 0 ? ["defect-detection", "edge-ai", "3d-vision"] : capabilities;
        for (var i = 0; i < tags.Length; i++)
        {
            fields[$"Capabilities[{i}]"] = tags[i];
        }

        return fields;
    }

    private static Dictionary<string, string> CaseFields(string title) => new()
    {
        ["Title"] = title, ["Client"] = "Baosteel No. 2 plant", ["Industry"] = "steel", ["Year"] = "2025",
        ["Body"] = "Twelve line-scan cameras on the cold-rolling line.", ["Outcome"] = "Escapes down 85%", ["Trl"] = "8",
    };

    private static async Task<JsonElement> ProfileAsync(HttpClient api)
    {
        using var response = await api.GetAsync("/api/v1/my/vendor-profile");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task Vendor_SavesProfileAndCases_ThroughThePages_AndSeesThemOnItsPublicPage()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        using var vendor = await factory.SignedInBrowserAsync(Vendor);
        using var api = await factory.ApiClientAsync(Vendor);

        var (status, editor) = await vendor.GetPageAsync(Page);
        Assert.Equal(HttpStatusCode.OK, status);
        // Tags by display name in the reader's language, never as slugs.
        Assert.Contains(">Defect detection</label>", editor, StringComparison.Ordinal);
        Assert.DoesNotContain(">defect-detection<", editor, StringComparison.Ordinal);
        Assert.Contains(">缺陷检测</label>", (await (await factory.SignedInBrowserAsync(Vendor, "zh-CN")).GetPageAsync(Page)).Html, StringComparison.Ordinal);

        using (var saved = await vendor.PostFormAsync(Page, Page, ProfileFields()))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using (var added = await vendor.PostFormAsync(Page + "/cases/new", Page + "/cases/new", CaseFields("Cold-rolled strip inspection")))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        var profile = await ProfileAsync(api);
        Assert.Equal("en", profile.GetProperty("language").GetString());
        Assert.Equal(7, profile.GetProperty("maxTrlDelivered").GetInt32());
        Assert.Equal(["3d-vision", "defect-detection", "edge-ai"], profile.GetProperty("capabilities").EnumerateArray().Select(t => t.GetString()));
        var newCase = profile.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("title").GetString() == "Cold-rolled strip inspection");
        var caseId = newCase.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        var slug = profile.GetProperty("slug").GetString();

        var (_, editPage) = await vendor.GetPageAsync($"{Page}/cases/{caseId}/edit");
        Assert.Contains("Twelve line-scan cameras", editPage, StringComparison.Ordinal);
        using (var edited = await vendor.PostFormAsync($"{Page}/cases/{caseId}/edit", $"{Page}/cases/{caseId}/edit", CaseFields("Cold-rolled strip surface inspection")))
        {
            Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        }

        // The public page shows the new profile and case, and the edit link to its own members only.
        var (_, publicPage) = await vendor.GetPageAsync($"/vendors/{slug}");
        Assert.Contains("Line-scan inspection of steel strip and PCBs", publicPage, StringComparison.Ordinal);
        Assert.Contains("Cold-rolled strip surface inspection", publicPage, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"edit-profile\"", publicPage, StringComparison.Ordinal);
        using var anonymous = await factory.SignedInBrowserAsync(null);
        Assert.DoesNotContain("data-testid=\"edit-profile\"", (await anonymous.GetPageAsync($"/vendors/{slug}")).Html, StringComparison.Ordinal);
        using var otherVendor = await factory.SignedInBrowserAsync(OtherVendor);
        Assert.DoesNotContain("data-testid=\"edit-profile\"", (await otherVendor.GetPageAsync($"/vendors/{slug}")).Html, StringComparison.Ordinal);

        // The dashboard's completeness hints lead to the editor.
        Assert.Contains($"href=\"{Page}\"", (await vendor.GetPageAsync("/dashboard")).Html, StringComparison.Ordinal);

        using (var deleted = await vendor.PostFormAsync(Page, $"{Page}/cases/{caseId}/delete", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }

        Assert.DoesNotContain("Cold-rolled strip surface inspection", (await anonymous.GetPageAsync($"/vendors/{slug}")).Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Summary", "", "Write a summary")]
    [InlineData("Summary", "Vision\u0007 systems", "Remove control characters")]
    [InlineData("Summary", "Vision \u202Esystems", "Remove control characters")]
    [InlineData("MaxTrlDelivered", "12", "The TRL must be between 1 and 9.")]
    [InlineData("Capabilities[0]", "telepathy", "Choose capability tags from the list.")]
    public async Task BadProfileInput_ShowsFormErrors_AndChangesNothing(string field, string value, string message)
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        using var vendor = await factory.SignedInBrowserAsync(Vendor);
        using var api = await factory.ApiClientAsync(Vendor);
        var before = (await ProfileAsync(api)).GetRawText();

        var fields = ProfileFields();
        fields[field] = value;
        using var response = await vendor.PostFormAsync(Page, Page, fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.ReadHtmlAsync();
        Assert.Contains("data-error-summary", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        if (field is "Summary" or "MaxTrlDelivered")
        {
            Assert.Matches($"id=\"{field}\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"([a-z-]+ )?error-{field.ToLowerInvariant()}\"", html);
            var control = System.Text.RegularExpressions.Regex.Match(html, $"<[^>]*id=\"{field}\"[^>]*>").Value;
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(control, "aria-describedby="));
        }

        Assert.Equal(before, (await ProfileAsync(api)).GetRawText());
    }

    [Fact]
    public async Task BadCaseInput_ShowsFormErrors_AndAddsNothing()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        using var vendor = await factory.SignedInBrowserAsync(Vendor);
        using var api = await factory.ApiClientAsync(Vendor);
        var before = (await ProfileAsync(api)).GetRawText();

        var fields = CaseFields("Inspection");
        fields["Trl"] = "12";
        fields["Body"] = "";
        using var response = await vendor.PostFormAsync(Page + "/cases/new", Page + "/cases/new", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.ReadHtmlAsync();
        Assert.Contains("The description is required.", AccountTestKit.FieldError(html, "Body"), StringComparison.Ordinal);
        Assert.Contains("The TRL must be between 1 and 9.", AccountTestKit.FieldError(html, "Trl"), StringComparison.Ordinal);
        Assert.Equal(before, (await ProfileAsync(api)).GetRawText());
    }

    [Fact]
    public async Task OtherOrganisations_Enterprises_AndVisitors_CannotReadOrChangeTheProfile()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        using var vendorApi = await factory.ApiClientAsync(Vendor);
        var before = await ProfileAsync(vendorApi);
        var caseId = before.GetProperty("cases")[0].GetProperty("id").GetInt64();

        // Another vendor organisation's member edits only its own profile; the first vendor's cases are hidden from it.
        using var otherApi = await factory.ApiClientAsync(OtherVendor);
        Assert.NotEqual(before.GetProperty("organisationId").GetInt64(), (await ProfileAsync(otherApi)).GetProperty("organisationId").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.PutAsJsonAsync($"/api/v1/my/vendor-profile/cases/{caseId}", new { title = "Mine now", body = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.DeleteAsync($"/api/v1/my/vendor-profile/cases/{caseId}")).StatusCode);
        using var otherBrowser = await factory.SignedInBrowserAsync(OtherVendor);
        Assert.Equal(HttpStatusCode.NotFound, (await otherBrowser.GetPageAsync($"{Page}/cases/{caseId}/edit")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await otherBrowser.PostFormAsync(Page, $"{Page}/cases/{caseId}/edit", CaseFields("Mine now"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherBrowser.PostFormAsync(Page, $"{Page}/cases/{caseId}/delete", new Dictionary<string, string>())).StatusCode);

        // Enterprise users are refused (403); visitors must sign in (401 in the API, the sign-in page for pages).
        using var enterpriseApi = await factory.ApiClientAsync(Enterprise);
        Assert.Equal(HttpStatusCode.Forbidden, (await enterpriseApi.GetAsync("/api/v1/my/vendor-profile")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await enterpriseApi.PutAsJsonAsync("/api/v1/my/vendor-profile", new { language = "en", summary = "We are a vendor now." })).StatusCode);
        using var enterprise = await factory.SignedInBrowserAsync(Enterprise);
        Assert.Equal(HttpStatusCode.Forbidden, (await enterprise.GetPageAsync(Page)).Status);
        using var anonymousApi = await factory.ApiClientAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymousApi.GetAsync("/api/v1/my/vendor-profile")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymousApi.PutAsJsonAsync("/api/v1/my/vendor-profile", new { language = "en", summary = "x" })).StatusCode);
        using var anonymous = await factory.SignedInBrowserAsync(null);
        using var signIn = await anonymous.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("/account/signin", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);

        Assert.Equal(before.GetRawText(), (await ProfileAsync(vendorApi)).GetRawText());
    }

    [Fact]
    public async Task Api_RoundTrip_WithProblemDetailsOnBadInput_AndEverySaveQueuesARematch()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        using var api = await factory.ApiClientAsync(Vendor);
        var rematchesBefore = RematchesFor(factory, "vendor profile changed");

        using (var bad = await api.PutAsJsonAsync("/api/v1/my/vendor-profile", new { language = "en", summary = "", maxTrlDelivered = 12, capabilities = UnknownTags }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            var errors = (await bad.JsonAsync()).GetProperty("errors");
            Assert.Equal(["capabilities", "maxTrlDelivered", "summary"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        }

        Assert.Equal(rematchesBefore, RematchesFor(factory, "vendor profile changed"));
        using (var saved = await api.PutAsJsonAsync("/api/v1/my/vendor-profile", new
               {
                   language = "zh", summary = "面向钢铁行业的表面缺陷检测与边缘部署。", maxTrlDelivered = 8, capabilities = ApiTags, industries = Steel,
               }))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        Assert.Equal(rematchesBefore + 1, RematchesFor(factory, "vendor profile changed"));
        long caseId;
        using (var created = await api.PostAsJsonAsync("/api/v1/my/vendor-profile/cases", new { title = "带钢表面检测", body = "冷轧线 12 台线扫相机。", year = 2025, trl = 8 }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            caseId = (await created.JsonAsync()).GetProperty("caseId").GetInt64();
        }

        using (var badCase = await api.PutAsJsonAsync($"/api/v1/my/vendor-profile/cases/{caseId}", new { title = "带钢表面检测", body = "x", trl = 12 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badCase.StatusCode);
            Assert.True((await badCase.JsonAsync()).GetProperty("errors").TryGetProperty("trl", out _));
        }

        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/my/vendor-profile/cases/{caseId}", new { title = "带钢表面缺陷检测", body = "冷轧线 12 台线扫相机。", outcome = "漏检下降 85%" })).StatusCode);
        var profile = await ProfileAsync(api);
        Assert.Equal("面向钢铁行业的表面缺陷检测与边缘部署。", profile.GetProperty("summary").GetString());
        Assert.Equal(["edge-ai", "surface-inspection"], profile.GetProperty("capabilities").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains(profile.GetProperty("cases").EnumerateArray(), c => c.GetProperty("id").GetInt64() == caseId && c.GetProperty("title").GetString() == "带钢表面缺陷检测");

        Assert.Equal(HttpStatusCode.OK, (await api.DeleteAsync($"/api/v1/my/vendor-profile/cases/{caseId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync($"/api/v1/my/vendor-profile/cases/{caseId}")).StatusCode);
        Assert.DoesNotContain((await ProfileAsync(api)).GetProperty("cases").EnumerateArray(), c => c.GetProperty("id").GetInt64() == caseId);
        // Rematches are queued once per committed change (profile, add, edit, delete), never for refusals.
        Assert.Equal(rematchesBefore + 4, RematchesFor(factory, "vendor profile changed"));
    }

    /// <summary>Rematch jobs with this reason waiting in Hangfire's storage (the test app has no workers, so they stay queued).</summary>
    private static int RematchesFor(MarketplaceFactory factory, string reason)
    {
        var monitoring = factory.JobStorage().GetMonitoringApi();
        return monitoring.Queues().SelectMany(q => monitoring.EnqueuedJobs(q.Name, 0, 1000))
            .Count(j => j.Value.Job?.Type == typeof(Marketplace.Jobs.RematchJob) && Equals(j.Value.Job.Args[0], reason));
    }
}
