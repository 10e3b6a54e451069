using System.Net;
using System.Net.Http.Json;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Reviews;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Proposals;

/// <summary>The proposal pages through HTTP with cookies and antiforgery tokens, as a browser uses them.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xUnit disposes the factory through IAsyncLifetime after each test.")]
public sealed class ProposalPagesTests : IAsyncLifetime
{
    private readonly MarketplaceFactory _factory = new();

    public Task InitializeAsync() => _factory.InitializeAsync();

    public Task DisposeAsync() => _factory.DisposeAsync();

    private static readonly string?[] Everyone = [Vendor, OtherVendor, Enterprise, OtherEnterprise, Officer, Admin, null];

    private async Task PageMatrixAsync(string label, string url, params HttpStatusCode[] expected)
    {
        var wrong = new List<string>();
        for (var i = 0; i < Everyone.Length; i++)
        {
            using var client = await _factory.SignedInBrowserAsync(Everyone[i]);
            using var response = await client.GetAsync(url);
            if (response.StatusCode != expected[i])
            {
                wrong.Add($"{label} GET {url} as {Everyone[i] ?? "signed-out"}: expected {(int)expected[i]}, got {(int)response.StatusCode}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    private const HttpStatusCode Ok = HttpStatusCode.OK;
    private const HttpStatusCode NotFound = HttpStatusCode.NotFound;
    private const HttpStatusCode Forbidden = HttpStatusCode.Forbidden;
    private const HttpStatusCode Conflict = HttpStatusCode.Conflict;
    private const HttpStatusCode SignIn = HttpStatusCode.Redirect;

    [Fact]
    public async Task PageMatrix_BeforeAndAfterTheDeadline()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        var id = await _factory.SubmitThroughApiAsync(Vendor, challenge);

        //                                                                   vendor     vendor2    enterprise  enterprise2 officer    admin      signed-out
        await PageMatrixAsync("before", $"/proposals/{id}", Ok, NotFound, NotFound, NotFound, NotFound, NotFound, SignIn);
        await PageMatrixAsync("before", $"/challenges/{challenge}/proposals", Forbidden, Forbidden, Conflict, Forbidden, Conflict, Forbidden, SignIn);
        await PageMatrixAsync("before", "/my/proposals", Ok, Ok, Forbidden, Forbidden, Forbidden, Forbidden, SignIn);
        await PageMatrixAsync("before", $"/challenges/{challenge}/proposals/new", HttpStatusCode.Redirect, Ok, Forbidden, Forbidden, Forbidden, Forbidden, SignIn);
        await PageMatrixAsync("before", $"/proposals/{id}/edit", Ok, NotFound, Forbidden, Forbidden, Forbidden, Forbidden, SignIn);

        _factory.PassTheDeadlines();
        await PageMatrixAsync("after", $"/proposals/{id}", Ok, NotFound, Ok, NotFound, Ok, NotFound, SignIn);
        await PageMatrixAsync("after", $"/challenges/{challenge}/proposals", Forbidden, Forbidden, Ok, Forbidden, Ok, Forbidden, SignIn);
        await PageMatrixAsync("after", $"/challenges/{challenge}/proposals/new", HttpStatusCode.Redirect, Conflict, Forbidden, Forbidden, Forbidden, Forbidden, SignIn);
        await PageMatrixAsync("after", $"/proposals/{id}/edit", Conflict, NotFound, Forbidden, Forbidden, Forbidden, Forbidden, SignIn);
    }

    [Fact]
    public async Task SubmittingTheForm_ShowsTheReceipt_AndMyProposalsListsIt()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        using var vendor = await _factory.SignedInBrowserAsync(Vendor);

        var (status, detailsPage) = await vendor.GetPageAsync($"/challenges/{challenge}");
        Assert.Equal(Ok, status);
        Assert.Contains($"href=\"/challenges/{challenge}/proposals/new\"", detailsPage);

        var (formStatus, form) = await vendor.GetPageAsync($"/challenges/{challenge}/proposals/new");
        Assert.Equal(Ok, formStatus);
        Assert.Contains("缺陷检出率", form);
        Assert.Contains("name=\"TargetAnswers[0]\"", form);
        Assert.Contains("id=\"add-milestone\"", form);

        using var response = await vendor.PostFormAsync($"/challenges/{challenge}/proposals/new", $"/challenges/{challenge}/proposals", ValidForm(_factory));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches(@"^/proposals/\d+$", location);

        var (_, page) = await vendor.GetPageAsync(location);
        Assert.Contains("submitted and sealed", page);
        Assert.NotNull(Fingerprint(page));
        Assert.Contains("data-testid=\"receipt-version\">1<", page);
        Assert.Contains("Line-scan cameras, a segmentation model on an edge GPU.", page);
        Assert.Contains("¥980,000", page.Replace("CNY ", "¥", StringComparison.Ordinal));

        var (_, mine) = await vendor.GetPageAsync("/my/proposals");
        Assert.Contains(StripChallenge, mine);
        Assert.Contains(Fingerprint(page)![..12], mine);
        Assert.Equal("1,1,1|submitted", await _factory.ProposalCountsAsync());
    }

    [Fact]
    public async Task BadForm_ShowsAMessageBesideEachField_AndCreatesNothing()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        using var vendor = await _factory.SignedInBrowserAsync(Vendor);
        var fields = ValidForm(_factory);
        fields["Approach"] = "";
        fields["TargetAnswers[0]"] = " ";
        fields["DeliveryTrl"] = "4";
        fields["Milestones[1].PaymentShare"] = "50";
        fields["Milestones[0].DueOn"] = "2020-01-01";
        fields["PriceAmount"] = "-3";
        fields["Partners[0]"] = "no-such-vendor";

        using var response = await vendor.PostFormAsync($"/challenges/{challenge}/proposals/new", $"/challenges/{challenge}/proposals", fields);
        var html = await response.ReadHtmlAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Describe your technical approach.", AccountTestKit.FieldError(html, "approach"));
        Assert.Equal("Say how your solution meets this target.", AccountTestKit.FieldError(html, "targetAnswers[0]"));
        Assert.Equal("The TRL at delivery cannot be lower than the current TRL.", AccountTestKit.FieldError(html, "deliveryTrl"));
        Assert.Equal("The payment shares of the milestones must add up to 100%.", AccountTestKit.FieldError(html, "milestones"));
        Assert.Equal("A milestone must fall after the challenge's deadline.", AccountTestKit.FieldError(html, "milestones[0].dueOn"));
        Assert.Equal("The price must be a positive amount with at most two decimals.", AccountTestKit.FieldError(html, "priceAmount"));
        // The unknown partner in the same round as every other field's message, not after they are fixed.
        Assert.Equal("There is no registered vendor organisation with this name. Type part of the name and choose it from the list.", AccountTestKit.FieldError(html, "partners[0]"));
        Assert.Contains("Nothing was saved", html);
        Assert.Contains("value=\"-3\"", html);
        Assert.Equal("0,0,0|", await _factory.ProposalCountsAsync());

        Assert.Equal("0,0,0|", await _factory.ProposalCountsAsync());
    }

    [Fact]
    public async Task BadForm_InChinese_ShowsChineseMessages()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        using var vendor = await _factory.SignedInBrowserAsync(Vendor, "zh-CN");
        var fields = ValidForm(_factory);
        fields["Approach"] = "";

        using var response = await vendor.PostFormAsync($"/challenges/{challenge}/proposals/new", $"/challenges/{challenge}/proposals", fields);
        var html = await response.ReadHtmlAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("请描述技术方案。", AccountTestKit.FieldError(html, "approach"));
        Assert.Contains("技术标", html);
        Assert.Contains("报价标", html);
    }

    [Fact]
    public async Task DraftReviseAndWithdraw_ThroughThePages()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        using var vendor = await _factory.SignedInBrowserAsync(Vendor);
        var draft = new Dictionary<string, string> { ["intent"] = "draft", ["Approach"] = "First notes" };

        using var saved = await vendor.PostFormAsync($"/challenges/{challenge}/proposals/new", $"/challenges/{challenge}/proposals", draft);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var url = saved.Headers.Location!.OriginalString;
        var (_, draftPage) = await vendor.GetPageAsync(url);
        Assert.Contains("Draft saved", draftPage);
        Assert.Null(Fingerprint(draftPage));

        using var submitted = await vendor.PostFormAsync(url + "/edit", url, ValidForm(_factory));
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        using var revised = await vendor.PostFormAsync(url + "/edit", url, ValidForm(_factory, "A better approach."));
        Assert.Equal(HttpStatusCode.Redirect, revised.StatusCode);

        var (_, page) = await vendor.GetPageAsync(url);
        Assert.Contains("A better approach.", page);
        Assert.Contains("data-testid=\"receipt-version\">2<", page);
        Assert.Contains("Version 1", page);
        Assert.Contains("Version 2", page);
        Assert.Equal("1,2,2|submitted", await _factory.ProposalCountsAsync());

        var (versionStatus, version1) = await vendor.GetPageAsync(url + "/versions/1");
        Assert.Equal(Ok, versionStatus);
        Assert.Contains("Line-scan cameras, a segmentation model on an edge GPU.", version1);
        Assert.Contains("Superseded by version 2", version1);
        using (var other = await _factory.SignedInBrowserAsync(OtherVendor))
        {
            Assert.Equal(NotFound, (await other.GetPageAsync(url + "/versions/1")).Status);
        }

        using var withdrawn = await vendor.PostFormAsync(url, url + "/withdraw", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        var (_, mine) = await vendor.GetPageAsync("/my/proposals");
        Assert.Contains("The proposal was withdrawn", mine);
        Assert.Contains("Withdrawn", mine);
        Assert.Equal("1,2,2|withdrawn", await _factory.ProposalCountsAsync());
    }

    [Fact]
    public async Task SubmittingAfterTheDeadline_IsRefusedWithAClearMessage_AndNothingChanges()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        using var vendor = await _factory.SignedInBrowserAsync(Vendor);
        var (_, form) = await vendor.GetPageAsync($"/challenges/{challenge}/proposals/new");
        var token = AccountTestKit.AntiforgeryToken(form);

        // The vendor opened the form in time but sends it after the deadline.
        _factory.PassTheDeadlines();
        using var late = await _factory.SignedInBrowserAsync(Vendor);
        using var response = await late.PostFormAsync($"/my/proposals", $"/challenges/{challenge}/proposals", ValidForm(_factory));
        var html = await response.ReadHtmlAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("The deadline of this challenge has passed: proposals can no longer be submitted, revised or withdrawn.", html);
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal("0,0,0|", await _factory.ProposalCountsAsync());
    }

    [Fact]
    public async Task ChallengePage_EntryPoint_AndTheOfficerOpensPriceEnvelopes()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        await _factory.SubmitThroughApiAsync(Vendor, challenge);

        using (var enterprise = await _factory.SignedInBrowserAsync(Enterprise))
        {
            var (_, before) = await enterprise.GetPageAsync($"/challenges/{challenge}");
            Assert.Contains("Proposals are sealed until the deadline", before);
            Assert.DoesNotContain("Line-scan cameras", before);
        }

        _factory.PassTheDeadlines();
        using var officer = await _factory.SignedInBrowserAsync(Officer);
        var (_, details) = await officer.GetPageAsync($"/challenges/{challenge}");
        Assert.Contains($"href=\"/challenges/{challenge}/proposals\"", details);
        var (_, list) = await officer.GetPageAsync($"/challenges/{challenge}/proposals");
        // An English page names the vendor by its English name.
        Assert.Contains("Test Vision AI", list);
        Assert.Contains("data-testid=\"open-prices\"", list);
        Assert.DoesNotContain("980,000", list);

        // Refused (with the reason on the page) until every proposal has a complete review.
        using (var early = await officer.PostFormAsync($"/challenges/{challenge}/proposals", $"/challenges/{challenge}/price-envelopes/open", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        }

        await _factory.ReviewAllAsync(challenge);
        using var opened = await officer.PostFormAsync($"/challenges/{challenge}/proposals", $"/challenges/{challenge}/price-envelopes/open", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var (_, after) = await officer.GetPageAsync($"/challenges/{challenge}/proposals");
        Assert.Contains("980,000", after);
        Assert.Contains("data-testid=\"prices-open\"", after);

        using var enterpriseAfter = await _factory.SignedInBrowserAsync(Enterprise);
        var (_, seen) = await enterpriseAfter.GetPageAsync($"/challenges/{challenge}/proposals");
        Assert.Contains("980,000", seen);
        Assert.DoesNotContain("data-testid=\"open-prices\"", seen);

        using var enterpriseOpens = await enterpriseAfter.PostFormAsync($"/challenges/{challenge}/proposals", $"/challenges/{challenge}/price-envelopes/open", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Forbidden, enterpriseOpens.StatusCode);
    }

    [Fact]
    public async Task ConfidentialChallenge_WithoutNda_HasNoSubmitButton_AndTheFormIsRefused()
    {
        var challenge = await _factory.ChallengeIdAsync(ConfidentialChallenge);
        using var vendor = await _factory.SignedInBrowserAsync(Vendor);

        var (_, details) = await vendor.GetPageAsync($"/challenges/{challenge}");
        var (status, _) = await vendor.GetPageAsync($"/challenges/{challenge}/proposals/new");

        Assert.DoesNotContain("data-testid=\"submit-proposal\"", details);
        Assert.Equal(Forbidden, status);
    }
}
