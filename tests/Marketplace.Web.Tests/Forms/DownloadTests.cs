using System.Net;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Forms;

/// <summary>Receipts and decision reports download as self-contained HTML files, for those who may read them on the page.</summary>
public sealed class DownloadTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    [Fact]
    public async Task TheAuthor_DownloadsTheReceipt_WithItsFingerprint_AndNobodyElseCan()
    {
        var challenge = await factory.ChallengeIdAsync(StripChallenge);
        var proposal = await factory.SubmitThroughApiAsync(Vendor, challenge);
        using var vendor = await factory.SignedInBrowserAsync(Vendor);
        var page = await vendor.GetHtmlAsync($"/proposals/{proposal}");

        using var download = await vendor.GetAsync($"/proposals/{proposal}/receipt");
        var file = WebUtility.HtmlDecode(await download.Content.ReadAsStringAsync());

        Assert.Contains($"href=\"/proposals/{proposal}/receipt\" download", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"proposal-{proposal}-receipt-v1.html", download.Content.Headers.ContentDisposition?.FileName);
        Assert.Contains(Fingerprint(page)!, file, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", file, StringComparison.Ordinal);
        Assert.DoesNotContain("navbar", file, StringComparison.Ordinal);

        using var other = await factory.SignedInBrowserAsync(OtherVendor);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/proposals/{proposal}/receipt")).StatusCode);
    }

    [Fact]
    public async Task TheEnterprise_DownloadsTheDecisionReport_AndAVendorCannot()
    {
        var challenge = await factory.ChallengeIdAsync(StripChallenge);
        // The report lists the stored suggestions: wait for the start-up refresh (the refresh gate lets this one in after it).
        await factory.Services.GetRequiredService<Marketplace.Data.Matching.Matchmaker>().RefreshAsync("test: suggestions stored");
        using var enterprise = await factory.SignedInBrowserAsync(Enterprise);

        using var download = await enterprise.GetAsync($"/challenges/{challenge}/decision-report");
        var file = WebUtility.HtmlDecode(await download.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal($"challenge-{challenge}-decision-report.html", download.Content.Headers.ContentDisposition?.FileName);
        Assert.Contains("data-testid=\"suggested-vendors\"", file, StringComparison.Ordinal);
        Assert.Contains("Test Vision AI", file, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", file, StringComparison.Ordinal);

        using var vendor = await factory.SignedInBrowserAsync(Vendor);
        Assert.Equal(HttpStatusCode.NotFound, (await vendor.GetAsync($"/challenges/{challenge}/decision-report")).StatusCode);
    }
}
