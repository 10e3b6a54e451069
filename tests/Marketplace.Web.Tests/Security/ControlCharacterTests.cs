using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Core.Common;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Lifecycle.LifecycleTestKit;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// Control characters and text-direction overrides are refused in every text a person types, with a field error on
/// a page and a 400 problem in the API, and nothing is stored (issue #12). One check in the use-case runner covers
/// every use case; these tests go through a page form and API bodies of different features.
/// </summary>
public sealed class ControlCharacterTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    public static TheoryData<string, string> Hostile => new()
    {
        { "NUL", "Weld\u0000seam" },
        { "BEL", "Weld\u0007seam" },
        { "ESC", "Weld\u001b[31mseam" },
        { "DEL", "Weld\u007fseam" },
        { "C1 CSI", "Weld\u009bseam" },
        { "RLO", "Weld \u202Emaes" },
        { "LRE", "\u202AWeld seam" },
        { "RLI", "Weld \u2067seam\u2069" },
    };

    private async Task<int> CountAsync(string table)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM {table}");
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task ChallengeForm_WithAnUnsafeTitle_ShowsAFieldError_AndStoresNothing(string name, string title)
    {
        var client = await factory.SignedInBrowserAsync(Enterprise);
        var before = await CountAsync("challenges");
        using var response = await client.PostFormAsync("/my/challenges/new", ChallengeForm(factory.Clock.GetUtcNow(), title));
        var html = await response.ReadHtmlAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode}");
        // A NUL in a form body keeps ASP.NET Core from reading the form's antiforgery token: the post is refused (400)
        // before any field is looked at, with the "bad request" page, and nothing is stored (docs/security.md). Every
        // other character gets the field error.
        if (title.Contains('\0', StringComparison.Ordinal))
        {
            Assert.Contains("The request could not be understood.", html, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(TextSafety.Message, AccountTestKit.FieldError(html, "Title"));
        }

        Assert.Equal(before, await CountAsync("challenges"));
    }

    [Fact]
    public async Task ChallengeForm_InChinese_SaysItInChinese()
    {
        var client = await factory.SignedInBrowserAsync(Enterprise, "zh-CN");
        using var response = await client.PostFormAsync("/my/challenges/new", ChallengeForm(factory.Clock.GetUtcNow(), "Weld \u202Emaes"));

        Assert.Equal("请删除此处的控制字符和文字方向覆盖字符（如 U+202E）。", AccountTestKit.FieldError(await response.ReadHtmlAsync(), "Title"));
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task ChallengeApi_WithUnsafeText_Is400ProblemNamingTheFields_AndStoresNothing(string name, string text)
    {
        using var enterprise = await factory.ApiClientAsync(Enterprise);
        var before = await CountAsync("challenges");
        using var response = await enterprise.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: text, scenario: "Line one\n" + text));
        var problem = await response.JsonAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode}");
        var errors = problem.GetProperty("errors");
        Assert.Equal(TextSafety.Message, errors.GetProperty("title")[0].GetString());
        Assert.Equal(TextSafety.Message, errors.GetProperty("scenario")[0].GetString());
        Assert.Equal(before, await CountAsync("challenges"));
    }

    [Fact]
    public async Task LineBreaks_AreKeptInMultiLineText_AndRefusedInATitle()
    {
        using var enterprise = await factory.ApiClientAsync(Enterprise);
        using var multiLine = await enterprise.PostAsJsonAsync("/api/v1/challenges",
            ChallengeJson(factory.Clock.GetUtcNow(), title: "Line breaks in the scenario", scenario: "First line.\r\nSecond line,\tafter a tab."));
        Assert.Equal(HttpStatusCode.Created, multiLine.StatusCode);

        using var twoLineTitle = await enterprise.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: "Two\nlines"));
        Assert.Equal(HttpStatusCode.BadRequest, twoLineTitle.StatusCode);
        Assert.Equal(TextSafety.LineBreakMessage, (await twoLineTitle.JsonAsync()).GetProperty("errors").GetProperty("title")[0].GetString());
    }

    [Fact]
    public async Task ProposalApi_WithAnEscapeInTheApproachAndAMilestone_Is400_AndStoresNothing()
    {
        var strip = await Proposals.ProposalTestKit.ChallengeIdAsync(factory, Proposals.ProposalTestKit.StripChallenge);
        using var vendor = await factory.ApiClientAsync(Proposals.ProposalTestKit.OtherVendor);
        var before = await CountAsync("proposal_versions");
        var body = System.Text.Json.JsonSerializer.SerializeToNode(Proposals.ProposalTestKit.ValidRequest(factory, approach: "Cameras \u001b[2J and a model"))!;
        body["milestones"]![1]!["name"] = "Accept\u202Eance";

        using var response = await vendor.PostAsJsonAsync($"/api/v1/challenges/{strip}/proposals", body);
        var errors = (await response.JsonAsync()).GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(TextSafety.Message, errors.GetProperty("approach")[0].GetString());
        Assert.Equal(TextSafety.Message, errors.GetProperty("milestones[1].name")[0].GetString());
        Assert.Equal(before, await CountAsync("proposal_versions"));
    }

    [Fact]
    public async Task RegisterForm_WithABellInTheName_ShowsAFieldError()
    {
        var client = factory.CreateBrowserClient();
        var email = AccountTestKit.Unique("bell");
        using var response = await client.PostFormAsync("/account/register", "/account/register", new Dictionary<string, string>
        {
            ["Kind"] = "vendor",
            ["OrganisationName"] = "Bell Labs \u0007",
            ["DisplayName"] = "Ding\u0007",
            ["Email"] = email,
            ["Password"] = AccountsFactory.Password,
            ["ConfirmPassword"] = AccountsFactory.Password,
        });
        var html = await response.ReadHtmlAsync();

        Assert.Equal(TextSafety.Message, AccountTestKit.FieldError(html, "DisplayName"));
        Assert.Equal(TextSafety.Message, AccountTestKit.FieldError(html, "OrganisationName"));
        await using var connection = await factory.Database.Connections.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users WHERE email = @Email", new { Email = email }));
    }
}
