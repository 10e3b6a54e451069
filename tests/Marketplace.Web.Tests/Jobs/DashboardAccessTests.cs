using System.Net;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Jobs;

/// <summary>The Hangfire dashboard at /hangfire: officers and administrators only, through the real pipeline.</summary>
public sealed class DashboardAccessTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    [Theory]
    [InlineData("officer@test.example")]
    [InlineData("admin@test.example")]
    public async Task Dashboard_ForProgrammeStaff_IsShown(string email)
    {
        var client = await factory.SignedInBrowserAsync(email);

        using var response = await client.GetAsync("/hangfire");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Marketplace jobs", html, StringComparison.Ordinal);
        using var recurring = await client.GetAsync("/hangfire/recurring");
        var recurringHtml = await recurring.Content.ReadAsStringAsync();
        Assert.Contains("lifecycle-clock", recurringHtml, StringComparison.Ordinal);
        Assert.Contains("rematch", recurringHtml, StringComparison.Ordinal);
        Assert.Contains("weekly-digest", recurringHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("enterprise@test.example")]
    [InlineData("vendor@test.example")]
    [InlineData("reviewer@test.example")]
    public async Task Dashboard_ForOtherRoles_IsForbidden(string email)
    {
        var client = await factory.SignedInBrowserAsync(email);

        foreach (var path in new[] { "/hangfire", "/hangfire/jobs/enqueued", "/hangfire/stats" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task Dashboard_ForAnonymous_Is401_WithASignInLink_NeverShowsIt()
    {
        var client = factory.CreateBrowserClient();

        foreach (var path in new[] { "/hangfire", "/hangfire/recurring", "/hangfire/stats" })
        {
            using var response = await client.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.DoesNotContain("Marketplace jobs", html, StringComparison.Ordinal);
            Assert.Contains("/account/signin?returnUrl=", html, StringComparison.Ordinal);
        }

        // Every other page still sends a signed-out visitor to the sign-in form.
        using var myChallenges = await client.GetAsync("/my/challenges");
        Assert.Equal(HttpStatusCode.Redirect, myChallenges.StatusCode);
        Assert.StartsWith("/account/signin", myChallenges.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task JobsApi_ForAnonymousAndOtherRoles_IsRefused()
    {
        using var anonymous = await (await factory.ApiClientAsync(null)).PostAsync("/api/v1/jobs/rematch", null);
        using var vendor = await (await factory.ApiClientAsync("vendor@test.example")).PostAsync("/api/v1/jobs/rematch", null);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, vendor.StatusCode);
    }
}
