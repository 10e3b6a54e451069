using System.Net;
using System.Net.Http.Json;
using CsvHelper;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Reviews;
using MiniExcelLibs;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Dashboards;

/// <summary>The officers' exports: who may download them, sealing, the list's filters, and files that open.</summary>
public sealed class ExportTests
{
    [Theory]
    [InlineData(Vendor)]
    [InlineData(Enterprise)]
    [InlineData(Reviewer)]
    [InlineData(Admin)]
    public async Task Exports_AreRefused_ToEveryoneButOfficers(string email)
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        using var client = await factory.SignedInBrowserAsync(email);
        foreach (var url in new[] { "/exports/challenges.csv", "/exports/proposals.xlsx", "/exports/ledger.csv" })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var visitor = factory.CreateBrowserClient();
        using var anonymous = await visitor.GetAsync("/exports/challenges.csv");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task ProposalExport_ShowsNoProposalBeforeTheDeadline_AndNoPriceBeforeTheEnvelopesOpen()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var strip = await factory.ChallengeIdAsync(StripChallenge);
        var proposal = await factory.SubmitThroughApiAsync(Vendor, strip);
        using var officer = await factory.SignedInBrowserAsync(Officer);

        var sealedRows = await CsvAsync(officer, "/exports/proposals.csv");
        Assert.Empty(sealedRows);
        var ledger = await CsvAsync(officer, "/exports/ledger.csv");
        Assert.Equal("sealed", ledger.Single(r => r["Title"] == StripChallenge)["BiddingVendors"]);

        // Past the deadline the proposal is listed, its price envelope still closed.
        factory.PassTheDeadlines();
        await factory.ReviewAllAsync(strip);
        using var later = await factory.SignedInBrowserAsync(Officer);
        var unsealed = (await CsvAsync(later, "/exports/proposals.csv")).Single(r => r["ProposalId"] == proposal.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("", unsealed["Price"]);
        Assert.Equal("false", unsealed["PriceOpened"]);
        var excel = await ExcelAsync(later, "/exports/proposals.xlsx");
        Assert.True(excel.Single()["Price"] is null || (string?)excel.Single()["Price"]?.ToString() == "");
        var raw = await later.GetStringAsync("/exports/proposals.csv");
        Assert.DoesNotContain("980000", raw);

        // Closing technical scoring opens the envelopes: now the price is there.
        using var api = await factory.ApiClientAsync(Officer);
        using (var closed = await api.PostAsync($"/api/v1/challenges/{strip}/review/close", null))
        {
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        }

        var opened = (await CsvAsync(later, "/exports/proposals.csv")).Single();
        Assert.Equal("980000", opened["Price"]);
        Assert.Equal("CNY", opened["PriceCurrency"]);
        Assert.Equal("true", opened["PriceOpened"]);
        var scores = await CsvAsync(later, "/exports/scores.csv");
        Assert.Equal(4, scores.Count);
        Assert.All(scores, s => Assert.Equal("7", s["Score"]));
    }

    [Fact]
    public async Task Exports_CarryTheListsFilters_AndOpen_CsvWithChineseIntact_ExcelReadBack()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        using var officer = await factory.SignedInBrowserAsync(Officer);

        using (var response = await officer.GetAsync("/exports/challenges.csv?industry=steel"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("attachment;", response.Content.Headers.ContentDisposition?.ToString() ?? response.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        }

        var all = await CsvAsync(officer, "/exports/challenges.csv");
        var steel = await CsvAsync(officer, "/exports/challenges.csv?industry=steel");
        Assert.Contains(all, r => r["Industry"] == "logistics");
        Assert.NotEmpty(steel);
        Assert.All(steel, r => Assert.Equal("steel", r["Industry"]));
        Assert.Contains(steel, r => r["Title"] == StripChallenge);
        Assert.Equal(all.Count(r => r["Industry"] == "steel"), steel.Count);

        var searched = await CsvAsync(officer, "/exports/challenges.csv?q=" + Uri.EscapeDataString("带钢"));
        Assert.Equal(StripChallenge, searched.Single()["Title"]);
        var bounded = await CsvAsync(officer, "/exports/challenges.csv?budgetMax=500000");
        Assert.All(bounded, r => Assert.True(decimal.Parse(r["Budget"], System.Globalization.CultureInfo.InvariantCulture) <= 500000m));
        Assert.DoesNotContain(bounded, r => r["Title"] == StripChallenge);

        var workbook = await ExcelAsync(officer, "/exports/challenges.xlsx?industry=steel");
        Assert.Equal(steel.Count, workbook.Count);
        Assert.Contains(workbook, r => (string?)r["Title"] == StripChallenge);

        using var unknown = await officer.GetAsync("/exports/challenges.csv?industry=nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var missing = await officer.GetAsync("/exports/everything.csv");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Ledger_ListsBiddersAfterTheDeadline_AndTheWinners_OneLinePerChallenge()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var (strip, proposals) = await Delivery.DeliveryTestKit.AwardAsync(factory, StripChallenge, Vendor, OtherVendor);
        using var officer = await factory.SignedInBrowserAsync(Officer);

        var ledger = await CsvAsync(officer, "/exports/ledger.csv?industry=steel");
        Assert.Equal(ledger.Count, ledger.Select(r => r["ChallengeId"]).Distinct().Count());
        var line = ledger.Single(r => r["ChallengeId"] == strip.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var bidders = line["BiddingVendors"].Split("; ");
        Assert.Equal(2, bidders.Length);
        Assert.Equal("awarded", line["Outcome"]);
        Assert.Equal(2, line["Winners"].Split("; ").Length);

        var awards = await CsvAsync(officer, "/exports/awards.csv");
        Assert.Equal(proposals.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), awards.Select(a => a["ProposalId"]).Order());
        Assert.All(awards, a => Assert.Equal("980000", a["Price"]));

        await Delivery.DeliveryTestKit.StartDeliveryAsync(factory, strip);
        var milestones = await ExcelAsync(officer, "/exports/projects.xlsx");
        Assert.Equal(4, milestones.Count);
        Assert.All(milestones, m => Assert.Equal(StripChallenge, (string?)m["ChallengeTitle"]));
    }

    [Fact]
    public async Task ChallengeList_OffersOfficersExportsWithItsOwnFilters_AndNobodyElse()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        using var officer = await factory.SignedInBrowserAsync(Officer);
        var html = await officer.GetStringAsync("/challenges?industry=steel&open=true");
        Assert.Contains("href=\"/exports/ledger.csv?industry=steel&amp;open=true\"", html);
        Assert.Contains("href=\"/exports/proposals.xlsx?industry=steel&amp;open=true\"", html);

        var open = await CsvAsync(officer, "/exports/challenges.csv?industry=steel&open=true");
        Assert.NotEmpty(open);
        Assert.All(open, r => Assert.Equal("published", r["Status"]));

        using var vendor = await factory.SignedInBrowserAsync(Vendor);
        Assert.DoesNotContain("data-testid=\"list-exports\"", await vendor.GetStringAsync("/challenges?industry=steel"));
    }

    private static async Task<List<Dictionary<string, string>>> CsvAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        await using var reader = CsvReader.Create(stream, CsvReaderOptions.Default, false);
        var rows = new List<Dictionary<string, string>>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            rows.Add(reader.Headers.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => reader.GetString(x.i)));
        }

        return rows;
    }

    private static async Task<List<IDictionary<string, object?>>> ExcelAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        return stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
    }
}
