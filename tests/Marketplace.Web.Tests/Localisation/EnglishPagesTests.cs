using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Localisation;

/// <summary>English pages read as English: organisations by their English name where they gave one, no Chinese subtitles, singular counts.</summary>
public sealed class EnglishPagesTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    [Fact]
    public async Task ChallengeList_ShowsTheEnterprisesEnglishName_InEnglishOnly()
    {
        var english = await (await factory.SignedInBrowserAsync(null)).GetHtmlAsync("/challenges");
        var chinese = await (await factory.SignedInBrowserAsync(null, "zh-CN")).GetHtmlAsync("/challenges");

        Assert.Contains("Test Steel Co. ·", english, StringComparison.Ordinal);
        Assert.DoesNotContain("测试钢铁有限公司", english, StringComparison.Ordinal);
        Assert.Contains("测试钢铁有限公司 ·", chinese, StringComparison.Ordinal);
        // An organisation without an English name keeps its own everywhere.
        Assert.Contains("Test Logistics Ltd ·", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VendorPages_ShowTheVendorsEnglishName_WithTheChineseNameBelow()
    {
        var client = await factory.SignedInBrowserAsync(null);

        Assert.Contains(">Test Vision AI</a>", await client.GetHtmlAsync("/vendors"), StringComparison.Ordinal);
        var profile = await client.GetHtmlAsync("/vendors/ven-test-vision");
        Assert.Contains("<h1 class=\"h3\">Test Vision AI</h1>", profile, StringComparison.Ordinal);
        Assert.Contains("lang=\"zh-CN\">测试视觉科技</p>", profile, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("visitor", "/challenges", "场景清单")]
    [InlineData(Lifecycle.LifecycleTestKit.Enterprise, "/my/challenges", "我的榜单")]
    [InlineData(Lifecycle.LifecycleTestKit.Officer, "/screening", "榜单审核")]
    [InlineData(Lifecycle.LifecycleTestKit.Officer, "/screening/negative-list", "负面清单")]
    [InlineData("visitor", "/", "出题 · 答题")]
    public async Task EnglishPages_HaveNoChineseSubtitles(string who, string path, string chinese)
    {
        var client = await factory.SignedInBrowserAsync(who == "visitor" ? null : who);

        Assert.DoesNotContain(chinese, await client.GetHtmlAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counts_OfOne_AreSingular()
    {
        var client = await factory.SignedInBrowserAsync(null);

        var vendors = await client.GetHtmlAsync("/vendors?q=Routing");
        Assert.Contains("data-testid=\"result-count\">1 vendor<", vendors, StringComparison.Ordinal);
        var challenges = await client.GetHtmlAsync("/challenges?q=" + Uri.EscapeDataString("Cold-chain route"));
        Assert.Contains("data-testid=\"result-count\">1 challenge<", challenges, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"result-count\">2 vendors<", await client.GetHtmlAsync("/vendors"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProposalAndReviewPages_NameTheVendorInEnglish_OnEnglishPages()
    {
        await using var app = new MarketplaceFactory();
        await app.InitializeAsync();
        var challenge = await Proposals.ProposalTestKit.ChallengeIdAsync(app, Proposals.ProposalTestKit.StripChallenge);
        await Proposals.ProposalTestKit.SubmitThroughApiAsync(app, Proposals.ProposalTestKit.Vendor, challenge);
        Proposals.ProposalTestKit.PassTheDeadlines(app);
        await Reviews.ReviewTestKit.AssignAsync(app, challenge, Proposals.ProposalTestKit.Reviewer);

        var english = await app.SignedInBrowserAsync(Proposals.ProposalTestKit.Enterprise);
        var chinese = await app.SignedInBrowserAsync(Proposals.ProposalTestKit.Enterprise, "zh-CN");
        var officer = await app.SignedInBrowserAsync(Proposals.ProposalTestKit.Officer);
        var list = await english.GetHtmlAsync($"/challenges/{challenge}/proposals");
        var board = await officer.GetHtmlAsync($"/challenges/{challenge}/review");

        Assert.Contains(">Test Vision AI<", list, StringComparison.Ordinal);
        Assert.DoesNotContain("测试视觉科技", list, StringComparison.Ordinal);
        Assert.Contains(">测试视觉科技<", await chinese.GetHtmlAsync($"/challenges/{challenge}/proposals"), StringComparison.Ordinal);
        // The board's reviewer table names the vendor in English (the audit log keeps the entries as they were written).
        var assignments = board[board.IndexOf("data-testid=\"assignments\"", StringComparison.Ordinal)..];
        assignments = assignments[..assignments.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains(">Test Vision AI<", assignments, StringComparison.Ordinal);
        Assert.DoesNotContain("测试视觉科技", assignments, StringComparison.Ordinal);
        Assert.DoesNotContain("The proposal of 测试视觉科技", board, StringComparison.Ordinal);
    }
}
