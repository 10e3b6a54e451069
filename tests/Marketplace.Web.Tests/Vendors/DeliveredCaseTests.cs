using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Vendors;

/// <summary>
/// A portfolio case published from a delivered project records what the enterprise consented to publish (including
/// whether the client is named): its vendor sees it in the profile editor but cannot rewrite or delete it, on the page
/// or through the API. The demo story delivers a project and publishes its case through the real use cases.
/// </summary>
public sealed class DeliveredCaseTests
{
    [Fact]
    public async Task ACaseFromADeliveredProject_CannotBeRewrittenOrDeleted_ByItsVendor()
    {
        await using var factory = new DemoMarketplaceFactory();
        await factory.InitializeAsync();
        _ = factory.Services; // starts the app: migrations and the demo story

        long caseId;
        string email;
        string title;
        await using (var db = await factory.Database.Connections.OpenAsync())
        {
            (caseId, title, email) = await db.QueryFirstAsync<(long, string, string)>(
                """
                SELECT c.id, c.title, u.email
                FROM portfolio_cases c
                JOIN portfolio_consents pc ON pc.portfolio_case_id = c.id
                JOIN memberships m ON m.organisation_id = c.organisation_id
                JOIN users u ON u.id = m.user_id
                ORDER BY c.id, u.id
                """);
        }

        var api = await factory.ApiClientAsync(email);
        using (var rewrite = await api.PutAsJsonAsync($"/api/v1/my/vendor-profile/cases/{caseId}", new { title = "Rewritten", body = "Rewritten." }))
        {
            Assert.Equal(HttpStatusCode.Conflict, rewrite.StatusCode);
            Assert.Equal("application/problem+json", rewrite.Content.Headers.ContentType?.MediaType);
        }

        using (var delete = await api.DeleteAsync($"/api/v1/my/vendor-profile/cases/{caseId}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        }

        // The page shows it marked, without Edit or Delete; a hand-made POST is refused the same way.
        var browser = await factory.SignedInBrowserAsync(email);
        var page = await browser.GetStringAsync("/my/vendor-profile");
        Assert.Contains("data-testid=\"from-delivery\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"/my/vendor-profile/cases/{caseId}/edit", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"/my/vendor-profile/cases/{caseId}/delete", page, StringComparison.Ordinal);
        using (var posted = await browser.PostFormAsync("/my/vendor-profile", $"/my/vendor-profile/cases/{caseId}/delete", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }

        await using (var db = await factory.Database.Connections.OpenAsync())
        {
            Assert.Equal(title, await db.ExecuteScalarAsync<string>("SELECT title FROM portfolio_cases WHERE id = @Id", new { Id = caseId }));
        }
    }
}
