using System.Net;
using System.Net.Http.Json;
using Marketplace.Testing;
using Marketplace.Web.Tests.Delivery;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Dashboards;

/// <summary>Every dashboard and every export on each engine, after a challenge went from bids to a failure filing.</summary>
public sealed class DashboardEngineTests
{
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task EveryDashboardAndExport_Answers_WithTheFailureFiledOnTheOfficersDashboard(string engine)
    {
        await using var factory = engine == TestEngines.Postgres ? new PostgresMarketplaceFactory() : new MarketplaceFactory();
        await factory.InitializeAsync();
        var (strip, _) = await DeliveryTestKit.AwardAsync(factory, StripChallenge, Vendor);
        var project = (await DeliveryTestKit.StartDeliveryAsync(factory, strip)).Single();
        using (var api = await factory.ApiClientAsync(Officer))
        using (var filed = await api.PostAsJsonAsync($"/api/v1/delivery-projects/{project}/failure-filing",
                   new { category = "data", cause = "标注图像无法带出厂区。", lessons = "Agree the data-sharing terms before award." }))
        {
            Assert.Equal(HttpStatusCode.OK, filed.StatusCode);
        }

        foreach (var (email, section) in new[] { (Enterprise, "enterprise-dashboard"), (Vendor, "vendor-dashboard"), (Reviewer, "reviewer-dashboard"), (Officer, "officer-dashboard"), (Admin, "admin-dashboard") })
        {
            foreach (var language in new[] { "en", "zh-CN" })
            {
                using var client = await factory.SignedInBrowserAsync(email, language);
                using var response = await client.GetAsync("/dashboard");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{email} ({language}) got {response.StatusCode}");
                Assert.Contains($"data-testid=\"{section}\"", await response.Content.ReadAsStringAsync());
            }
        }

        using var officer = await factory.SignedInBrowserAsync(Officer);
        var html = await officer.GetStringAsync("/dashboard");
        var funnel = DashboardPagesTests.Tight(DashboardPagesTests.Section(html, "chart-table-officer-funnel"));
        Assert.Contains("<th scope=\"row\">Awarded</th><td class=\"text-end\">1</td>", funnel);
        Assert.Contains("<th scope=\"row\">Failed</th><td class=\"text-end\">1</td>", funnel);
        Assert.Contains("标注图像无法带出厂区。", DashboardPagesTests.Section(html, "failures"));
        Assert.Contains("<td class=\"text-end\">1</td>", DashboardPagesTests.Tight(DashboardPagesTests.Section(html, "chart-table-officer-failures")));
        Assert.Contains("data-testid=\"days-to-award\">", html);
        Assert.DoesNotContain("data-testid=\"days-to-award\">–<", html);

        foreach (var dataset in new[] { "challenges", "proposals", "scores", "awards", "projects", "ledger" })
        {
            foreach (var format in new[] { "csv", "xlsx" })
            {
                using var response = await officer.GetAsync($"/exports/{dataset}.{format}?industry=steel");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{dataset}.{format} answered {response.StatusCode}");
                Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 3, $"{dataset}.{format} is empty");
            }
        }

        var ledger = await officer.GetStringAsync("/exports/ledger.csv?industry=steel");
        Assert.Contains(StripChallenge, ledger);
        Assert.Contains("failed", ledger);
    }
}
