using System.Globalization;
using System.Net;
using Dapper;
using Marketplace.Data.Matching;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Marketplace.Web.Tests.Delivery.DeliveryTestKit;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Delivery;

/// <summary>Delivery through the pages, as the enterprise, the vendor and an officer click through it.</summary>
public sealed class DeliveryPagesTests
{
    private static Dictionary<string, string> Fields(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    [Fact]
    public async Task CompletedPath_ThroughThePages_EndsAsAPortfolioCaseWithoutTheClientsName()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var (challengeId, _) = await AwardAsync(factory, StripChallenge, Vendor);
        using var enterprise = await factory.SignedInBrowserAsync(Enterprise);
        using var vendor = await factory.SignedInBrowserAsync(Vendor);
        using var officer = await factory.SignedInBrowserAsync(Officer);

        var (_, challengePage) = await enterprise.GetPageAsync($"/challenges/{challengeId}");
        Assert.Contains("data-testid=\"start-delivery-form\"", challengePage, StringComparison.Ordinal);
        Assert.DoesNotContain("start-delivery-form", (await vendor.GetPageAsync($"/challenges/{challengeId}")).Html, StringComparison.Ordinal);
        using var started = await enterprise.PostFormAsync($"/challenges/{challengeId}", $"/challenges/{challengeId}/delivery/start", Fields(("note", "Signed 1 June")));
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var projectUrl = started.Headers.Location!.OriginalString;
        Assert.StartsWith("/delivery/projects/", projectUrl, StringComparison.Ordinal);
        using var api = await factory.ApiClientAsync(Officer);
        var ids = MilestoneIds(await ProjectAsync(api, long.Parse(projectUrl["/delivery/projects/".Length..], CultureInfo.InvariantCulture)));

        // Reachable from the challenge page, "My proposals" → "My projects", and the list.
        Assert.Contains(projectUrl, (await vendor.GetPageAsync($"/challenges/{challengeId}")).Html, StringComparison.Ordinal);
        Assert.Contains("href=\"/delivery\"", (await vendor.GetPageAsync("/my/proposals")).Html, StringComparison.Ordinal);
        Assert.Contains("href=\"/delivery\"", (await enterprise.GetPageAsync("/my/challenges")).Html, StringComparison.Ordinal);
        Assert.Contains(projectUrl, (await vendor.GetPageAsync("/delivery")).Html, StringComparison.Ordinal);

        var (_, page) = await vendor.GetPageAsync(projectUrl);
        Assert.Contains("缺陷检出率", page, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(page, "data-testid=\"evidence-form\""));
        Assert.DoesNotContain("accept-form", page, StringComparison.Ordinal);

        var before = await factory.DeliverySnapshotAsync();
        using (var bad = await vendor.PostFormAsync(projectUrl, $"/delivery/milestones/{ids[0]}/evidence", Fields(("body", "Pilot report"), ("links", "ftp://example/x"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("is not a web address", await bad.ReadHtmlAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await factory.DeliverySnapshotAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await vendor.PostFormAsync(projectUrl, $"/delivery/milestones/{ids[0]}/evidence",
            Fields(("body", "Pilot report: 98.9% recall on line 2."), ("links", "https://files.test.example/pilot.pdf\nhttps://files.test.example/log.csv")))).StatusCode);

        (_, page) = await enterprise.GetPageAsync(projectUrl);
        Assert.Contains("https://files.test.example/log.csv", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"accept-form\"", page, StringComparison.Ordinal);
        using (var noReason = await enterprise.PostFormAsync(projectUrl, $"/delivery/milestones/{ids[0]}/reject", Fields(("reason", ""))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
            Assert.Contains("form-errors", await noReason.ReadHtmlAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await enterprise.PostFormAsync(projectUrl, $"/delivery/milestones/{ids[0]}/reject", Fields(("reason", "Show the log for a full shift.")))).StatusCode);
        Assert.Contains("Show the log for a full shift.", (await vendor.GetPageAsync(projectUrl)).Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await vendor.PostFormAsync(projectUrl, $"/delivery/milestones/{ids[0]}/evidence", Fields(("body", "Full-shift log attached."), ("links", "")))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await enterprise.PostFormAsync(projectUrl, $"/delivery/milestones/{ids[0]}/accept", Fields(("targetsMet", "1"), ("note", "Recall target met.")))).StatusCode);
        (_, page) = await enterprise.GetPageAsync(projectUrl);
        Assert.Contains("data-testid=\"payment-released\"", page, StringComparison.Ordinal);
        Assert.Contains("40% / 100%", page, StringComparison.Ordinal);

        // Stage adjustment asked by the enterprise, approved by the officer.
        var newDue = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime).AddDays(200).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Redirect, (await enterprise.PostFormAsync(projectUrl, projectUrl + "/adjustments",
            Fields(("changes[0].MilestoneId", ids[1].ToString(CultureInfo.InvariantCulture)), ("changes[0].NewDueOn", newDue), ("changes[0].NewDeliverable", ""), ("reason", "Line 2 maintenance in Q3.")))).StatusCode);
        (_, page) = await officer.GetPageAsync(projectUrl);
        Assert.Contains("data-testid=\"decide-adjustment-form\"", page, StringComparison.Ordinal);
        var adjustmentId = await ScalarAsync<long>(factory, "SELECT MAX(id) FROM stage_adjustments");
        var projectId = projectUrl["/delivery/projects/".Length..];
        using (var declineWithoutNote = await officer.PostFormAsync(projectUrl, $"/delivery/adjustments/{adjustmentId}/decide", Fields(("projectId", projectId), ("decision", "decline"), ("note", ""))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, declineWithoutNote.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await officer.PostFormAsync(projectUrl, $"/delivery/adjustments/{adjustmentId}/decide", Fields(("projectId", projectId), ("decision", "approve"), ("note", "")))).StatusCode);
        Assert.Contains(newDue, (await vendor.GetPageAsync(projectUrl)).Html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await vendor.PostFormAsync(projectUrl, $"/delivery/milestones/{ids[1]}/evidence", Fields(("body", "Acceptance test passed."), ("links", "")))).StatusCode);
        using (var last = await enterprise.PostFormAsync(projectUrl, $"/delivery/milestones/{ids[1]}/accept", Fields(("note", ""))))
        {
            Assert.Equal(HttpStatusCode.Redirect, last.StatusCode);
        }

        (_, page) = await enterprise.GetPageAsync(projectUrl);
        Assert.Contains("Every milestone is accepted: the project is completed.", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"consent-form\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("consent-form", (await vendor.GetPageAsync(projectUrl)).Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await enterprise.PostFormAsync(projectUrl, $"/delivery/projects/{projectId}/consent", Fields(("decision", "grant")))).StatusCode);
        Assert.Contains("The client is not named.", (await vendor.GetPageAsync(projectUrl)).Html, StringComparison.Ordinal);
        Assert.Null(await ScalarAsync<string?>(factory, "SELECT client FROM portfolio_cases WHERE id = (SELECT portfolio_case_id FROM portfolio_consents)"));

        var vendorId = await ScalarAsync<long>(factory, "SELECT vendor_id FROM delivery_projects");
        var document = Assert.Single(await factory.Services.GetRequiredService<MatchStore>().VendorDocumentsAsync([vendorId], default));
        Assert.Contains(document.Portfolio, c => c.Title == StripChallenge);
        Assert.Equal("completed", await ScalarAsync<string>(factory, $"SELECT status FROM challenges WHERE id = {challengeId}"));
    }

    [Fact]
    public async Task FailurePath_ThroughThePages_OverdueShown_FilingVisibleToBothParties_InChinese()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var (challengeId, _) = await AwardAsync(factory, StripChallenge, Vendor);
        using var officer = await factory.SignedInBrowserAsync(Officer);
        using var started = await officer.PostFormAsync($"/challenges/{challengeId}", $"/challenges/{challengeId}/delivery/start", Fields(("note", "")));
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var projectUrl = started.Headers.Location!.OriginalString;
        var projectId = projectUrl["/delivery/projects/".Length..];

        factory.Clock.Advance(TimeSpan.FromDays(200));
        // Sign in again: the first session's cookie expired while the clock moved on.
        using var later = await factory.SignedInBrowserAsync(Officer);
        var (_, overview) = await later.GetPageAsync("/delivery");
        Assert.Contains("data-testid=\"overdue-count\">2<", overview, StringComparison.Ordinal);
        Assert.Equal(2, CountOf((await later.GetPageAsync(projectUrl)).Html, "data-testid=\"overdue\""));

        var before = await factory.DeliverySnapshotAsync();
        using (var incomplete = await later.PostFormAsync(projectUrl, $"/delivery/projects/{projectId}/failure", Fields(("category", ""), ("cause", "Data could not leave the plant."), ("lessons", ""))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
            var html = await incomplete.ReadHtmlAsync();
            Assert.Contains("Choose the category of the cause.", html, StringComparison.Ordinal);
        }

        Assert.Equal(before, await factory.DeliverySnapshotAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await later.PostFormAsync(projectUrl, $"/delivery/projects/{projectId}/failure",
            Fields(("category", "data"), ("cause", "Data could not leave the plant."), ("lessons", "Agree data access before the award.")))).StatusCode);

        using var vendorZh = await factory.SignedInBrowserAsync(Vendor, "zh-CN");
        var (_, zh) = await vendorZh.GetPageAsync(projectUrl);
        Assert.Contains("数据原因", zh, StringComparison.Ordinal);
        Assert.Contains("免责关闭", zh, StringComparison.Ordinal);
        Assert.Contains("Agree data access before the award.", zh, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"overdue\"", zh, StringComparison.Ordinal);
        using var enterprise = await factory.SignedInBrowserAsync(Enterprise);
        Assert.Contains("Closed without penalty", (await enterprise.GetPageAsync(projectUrl)).Html, StringComparison.Ordinal);
        using var otherEnterprise = await factory.SignedInBrowserAsync(OtherEnterprise);
        Assert.Equal(HttpStatusCode.NotFound, (await otherEnterprise.GetPageAsync(projectUrl)).Status);
        Assert.Equal("failed", await ScalarAsync<string>(factory, $"SELECT status FROM challenges WHERE id = {challengeId}"));
    }

    private static int CountOf(string html, string needle)
    {
        var count = 0;
        for (var i = html.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = html.IndexOf(needle, i + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task<T> ScalarAsync<T>(MarketplaceFactory factory, string sql)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql))!;
    }
}
