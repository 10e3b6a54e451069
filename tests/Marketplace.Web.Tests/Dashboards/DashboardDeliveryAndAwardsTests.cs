using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Web.Tests.Delivery;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Proposals;
using static Marketplace.Web.Tests.Dashboards.DashboardPagesTests;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Dashboards;

/// <summary>
/// Issue #11: organisation names in the page's language on every panel, overdue milestones marked in words, and the
/// officer's awards and budgets by industry and by region checked against the database rows.
/// </summary>
public sealed class DashboardDeliveryAndAwardsTests
{
    // seeds/test: the steel enterprise and the vision vendor have Chinese names with English ones beside them.
    private const string VendorZh = "测试视觉科技";
    private const string VendorEn = "Test Vision AI";
    private const string EnterpriseZh = "测试钢铁有限公司";
    private const string EnterpriseEn = "Test Steel Co.";

    [Fact]
    public async Task Milestones_OnEnglishPages_NameTheOtherPartyInEnglish_AndOverdueOnesSayOverdue()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var (challengeId, _) = await DeliveryTestKit.AwardAsync(factory, StripChallenge, Vendor);
        var project = (await DeliveryTestKit.StartDeliveryAsync(factory, challengeId)).Single();
        using var vendorApi = await factory.ApiClientAsync(Vendor);
        var milestones = DeliveryTestKit.MilestoneIds(await DeliveryTestKit.ProjectAsync(vendorApi, project));
        using (var evidence = await vendorApi.PostAsJsonAsync($"/api/v1/milestones/{milestones[0]}/evidence", new { body = "Pilot line results attached.", links = Array.Empty<string>() }))
        {
            Assert.Equal(HttpStatusCode.Created, evidence.StatusCode);
        }

        using (var enterprise = await factory.SignedInBrowserAsync(Enterprise))
        {
            var html = await enterprise.GetStringAsync("/dashboard");
            var toAccept = Section(html, "enterprise-milestones");
            Assert.Contains(VendorEn, toAccept);
            Assert.DoesNotContain(VendorZh, toAccept);
            // Nothing is late yet.
            Assert.DoesNotContain("milestone-overdue", html);
            Assert.DoesNotContain("milestones-overdue", html);
        }

        // Past every milestone's due date: the one waiting for acceptance and the ones still owed are all late.
        var dueDates = await DueDatesAsync(factory, project);
        factory.Clock.Advance(dueDates.Max().ToDateTime(TimeOnly.MinValue) - factory.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromDays(2));
        var owed = dueDates.Count - 1;

        using (var enterprise = await factory.SignedInBrowserAsync(Enterprise))
        {
            var html = await enterprise.GetStringAsync("/dashboard");
            Assert.Contains(">overdue<", Row(html, "milestone-to-accept", VendorEn));
            var deadlines = Section(html, "enterprise-deadlines");
            Assert.Equal(owed, CountOf(deadlines, "data-testid=\"milestone-overdue\">overdue<"));
            Assert.Contains(VendorEn, deadlines);
            Assert.DoesNotContain(VendorZh, deadlines);
            Assert.Contains($"data-testid=\"milestones-overdue\">{owed} milestone{(owed == 1 ? "" : "s")} overdue<", html);
        }

        using (var chinese = await factory.SignedInBrowserAsync(Enterprise, "zh-CN"))
        {
            var html = await chinese.GetStringAsync("/dashboard");
            Assert.Contains(">已逾期<", Row(html, "milestone-to-accept", VendorZh));
            Assert.Contains($"data-testid=\"milestones-overdue\">{owed} 个里程碑已逾期<", html);
        }

        using (var officer = await factory.SignedInBrowserAsync(Officer))
        {
            var overdue = Section(await officer.GetStringAsync("/dashboard"), "overdue");
            Assert.Contains(VendorEn, overdue);
            Assert.DoesNotContain(VendorZh, overdue);
        }

        using (var vendor = await factory.SignedInBrowserAsync(Vendor))
        {
            var deadlines = Section(await vendor.GetStringAsync("/dashboard"), "vendor-deadlines");
            Assert.Contains(EnterpriseEn, deadlines);
            Assert.DoesNotContain(EnterpriseZh, deadlines);
        }
    }

    [Fact]
    public async Task Officer_SeesAwardCountsAndAwardedBudget_ByIndustryAndByRegion_AsTheRowsAddUp()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        await DeliveryTestKit.AwardAsync(factory, StripChallenge, Vendor);

        var rows = await BreakdownRowsAsync(factory);
        Assert.Contains(rows, r => r.Awarded && r.Currency == "CNY" && r.Budget > 0); // so the awarded columns are not all zero

        using var officer = await factory.SignedInBrowserAsync(Officer);
        var html = await officer.GetStringAsync("/dashboard");
        Assert.Contains("over 1 awarded challenge<", html);

        string Industry(string slug) => Industries.Find(slug)?.NameEn ?? slug;
        string Region(string? city) => string.IsNullOrEmpty(city) ? "(no city given)" : city;
        AssertTable(html, "officer-industries", rows, r => Industry(r.Industry), Counts);
        AssertTable(html, "officer-industry-budgets", rows, r => Industry(r.Industry), Budgets);
        AssertTable(html, "officer-region-counts", rows, r => Region(r.City), Counts);
        AssertTable(html, "officer-regions", rows, r => Region(r.City), Budgets);
    }

    private static (double, double) Counts(IReadOnlyList<BreakdownRow> group) => (group.Count, group.Count(r => r.Awarded));

    private static (double, double) Budgets(IReadOnlyList<BreakdownRow> group) =>
        (group.Where(r => r.Currency == "CNY").Sum(r => r.Budget ?? 0), group.Where(r => r.Awarded && r.Currency == "CNY").Sum(r => r.Budget ?? 0));

    /// <summary>Every expected row is in the chart's table, and the table has no other rows.</summary>
    private static void AssertTable(string html, string chart, IReadOnlyList<BreakdownRow> rows, Func<BreakdownRow, string> label, Func<IReadOnlyList<BreakdownRow>, (double, double)> values)
    {
        var table = Tight(Section(html, $"chart-table-{chart}"));
        var groups = rows.GroupBy(label).ToList();
        Assert.Equal(groups.Count, CountOf(table, "<th scope=\"row\">"));
        foreach (var group in groups)
        {
            var (first, second) = values(group.ToList());
            Assert.Contains($"<th scope=\"row\">{Html.Encode(group.Key)}</th><td class=\"text-end\">{Number(first)}</td><td class=\"text-end\">{Number(second)}</td>", table);
        }
    }

    // The app's encoder: every Unicode range passes as is (MarketplaceSetup), so Chinese labels are not escaped.
    private static readonly System.Text.Encodings.Web.HtmlEncoder Html = System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    private static string Number(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static int CountOf(string html, string text) => html.Split(text).Length - 1;

    private sealed record BreakdownRow(string Industry, string? City, decimal? BudgetAmount, string Currency, bool Awarded)
    {
        public double? Budget => BudgetAmount is { } amount ? (double)amount : null;
    }

    /// <summary>The published challenges, each with its enterprise's city and whether it was awarded, straight from the tables.</summary>
    private static async Task<IReadOnlyList<BreakdownRow>> BreakdownRowsAsync(MarketplaceFactory factory)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        var challenges = await connection.QueryAsync<(long Id, string Industry, long EnterpriseId, string? Amount, string Currency, string? PublishedAt)>(
            "SELECT id, industry, enterprise_id, CAST(budget_amount AS TEXT), budget_currency, CAST(published_at AS TEXT) FROM challenges");
        var cities = (await connection.QueryAsync<(long Id, string? City)>("SELECT id, city FROM organisations")).ToDictionary(o => o.Id, o => o.City);
        var awarded = (await connection.QueryAsync<long>("SELECT challenge_id FROM award_decisions WHERE outcome = 'awarded'")).ToHashSet();
        return challenges.Where(c => c.PublishedAt is not null)
            .Select(c => new BreakdownRow(c.Industry, cities[c.EnterpriseId], c.Amount is null ? null : decimal.Parse(c.Amount, CultureInfo.InvariantCulture), c.Currency, awarded.Contains(c.Id)))
            .ToList();
    }

    private static async Task<IReadOnlyList<DateOnly>> DueDatesAsync(MarketplaceFactory factory, long project)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT CAST(due_on AS TEXT) FROM delivery_milestones WHERE project_id = @project", new { project }))
            .Select(d => DateOnly.Parse(d, CultureInfo.InvariantCulture)).ToList();
    }
}
