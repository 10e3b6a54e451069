using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Testing;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Reviews;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Proposals;

/// <summary>The sealed flow through the real HTTP pipeline on each engine the web app can run on.</summary>
public sealed class ProposalEngineTests
{
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task SealedFlow_ThroughTheApi(string engine)
    {
        var factory = engine == TestEngines.Postgres ? new PostgresMarketplaceFactory() : new MarketplaceFactory();
        await factory.InitializeAsync();
        try
        {
            var challenge = await factory.ChallengeIdAsync(StripChallenge);
            var id = await factory.SubmitThroughApiAsync(Vendor, challenge);
            using (var enterprise = await factory.ApiClientAsync(Enterprise))
            using (var officer = await factory.ApiClientAsync(Officer))
            {
                Assert.Equal(HttpStatusCode.NotFound, (await enterprise.GetAsync($"/api/v1/proposals/{id}")).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"/api/v1/proposals/{id}")).StatusCode);
                Assert.Equal(HttpStatusCode.Conflict, (await officer.GetAsync($"/api/v1/challenges/{challenge}/proposals")).StatusCode);
            }

            using (var vendor = await factory.ApiClientAsync(Vendor))
            {
                using var revised = await vendor.PutAsJsonAsync($"/api/v1/proposals/{id}", ValidRequest(factory, "Revised on " + engine, 777000.5m));
                Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
            }

            factory.PassTheDeadlines();
            using var officerAfter = await factory.ApiClientAsync(Officer);
            using var enterpriseAfter = await factory.ApiClientAsync(Enterprise);
            var seen = await (await enterpriseAfter.GetAsync($"/api/v1/proposals/{id}")).JsonAsync();
            Assert.Equal("Revised on " + engine, seen.GetProperty("technical").GetProperty("approach").GetString());
            Assert.Equal(JsonValueKind.Null, seen.GetProperty("price").ValueKind);

            // Price envelopes open when technical scoring closes, after every proposal is reviewed.
            Assert.Equal(HttpStatusCode.Conflict, (await officerAfter.PostAsync($"/api/v1/challenges/{challenge}/price-envelopes/open", null)).StatusCode);
            await factory.ReviewAllAsync(challenge);
            Assert.Equal(HttpStatusCode.OK, (await officerAfter.PostAsync($"/api/v1/challenges/{challenge}/price-envelopes/open", null)).StatusCode);
            var priced = await (await enterpriseAfter.GetAsync($"/api/v1/challenges/{challenge}/proposals")).JsonAsync();
            Assert.Equal(777000.5m, priced.GetProperty("proposals")[0].GetProperty("price").GetProperty("amount").GetDecimal());
            Assert.Equal(2, priced.GetProperty("proposals")[0].GetProperty("currentVersion").GetInt32());
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }
}
