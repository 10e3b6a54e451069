using System.Net;
using System.Net.Http.Json;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// ASP.NET Core's rate limiter on sign-in, token, registration, invitations and the API: past the configured limit a
/// client gets 429 with Retry-After, problem details from the API and a readable page from the forms; another client
/// is not affected (issue #12). The limits come from Security:RateLimits, set low here.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xUnit disposes the factory through IAsyncLifetime after each test.")]
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly LimitedFactory _factory = new();

    public Task InitializeAsync() => _factory.InitializeAsync();

    public Task DisposeAsync() => _factory.DisposeAsync();

    private sealed class LimitedFactory : AccountsFactoryBase
    {
        protected override bool RateLimitsOff => false;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:RateLimits:SignIn:PermitLimit", "3");
            builder.UseSetting("Security:RateLimits:Registration:PermitLimit", "2");
            builder.UseSetting("Security:RateLimits:Invitations:PermitLimit", "2");
            builder.UseSetting("Security:RateLimits:Api:PermitLimit", "5");
            builder.UseSetting("Security:RateLimits:Api:WindowSeconds", "600");
        }
    }

    private HttpClient Client(string address)
    {
        var client = _factory.CreateBrowserClient();
        client.DefaultRequestHeaders.Add(MarketplaceFactory.ClientAddressHeader, address);
        return client;
    }

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {response.Headers.RetryAfter}");
    }

    [Fact]
    public async Task SignInForm_PastTheLimit_Is429WithAReadablePage()
    {
        using var client = Client("192.0.2.50");
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.SignInAsync(AccountTestKit.Unique("limit"), "Not-the-password-1");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await client.SignInAsync(AccountTestKit.Unique("limit"), "Not-the-password-1");
        AssertRetryAfter(refused);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many requests from your network", await refused.ReadHtmlAsync(), StringComparison.Ordinal);

        using var other = Client("192.0.2.51");
        using var fine = await other.SignInAsync(AccountTestKit.Unique("limit"), "Not-the-password-1");
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task TokenEndpoint_PastTheLimit_Is429ProblemDetails()
    {
        using var client = Client("192.0.2.60");
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = AccountTestKit.Unique("limit"), password = "Not-the-password-1" });
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }

        using var refused = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = AccountTestKit.Unique("limit"), password = "Not-the-password-1" });
        AssertRetryAfter(refused);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many requests", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_PastTheLimit_Is429()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            // A new browser each time (registering signs in), from the same address.
            using var client = Client("192.0.2.70");
            var email = AccountTestKit.Unique("reg");
            using var response = await client.PostFormAsync("/account/register", "/account/register", new Dictionary<string, string>
            {
                ["Kind"] = "vendor",
                ["OrganisationName"] = "Limit test " + email,
                ["DisplayName"] = "Limit",
                ["Email"] = email,
                ["Password"] = AccountsFactory.Password,
                ["ConfirmPassword"] = AccountsFactory.Password,
            });
            statuses.Add(response.StatusCode);
            if (i == 2)
            {
                AssertRetryAfter(response);
            }
        }

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Invitations_PastTheLimit_Are429()
    {
        var owner = AccountTestKit.Unique("owner");
        var organisation = await _factory.RegisterAsync(owner, "enterprise");
        using var client = Client("192.0.2.80");
        (await client.SignInAsync(owner, AccountsFactory.Password)).Dispose();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostFormAsync("/account/organisation", "/account/organisation/invitations", new Dictionary<string, string>
            {
                ["Invite.Org"] = organisation.Slug,
                ["Invite.Email"] = AccountTestKit.Unique("invitee"),
            });
            statuses.Add(response.StatusCode);
            if (i == 2)
            {
                AssertRetryAfter(response);
            }
        }

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Api_PastTheLimit_Is429ProblemDetails_PerClient()
    {
        using var client = Client("192.0.2.90");
        for (var i = 0; i < 5; i++)
        {
            using var allowed = await client.GetAsync("/api/v1/challenges");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await client.GetAsync("/api/v1/challenges");
        AssertRetryAfter(refused);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":429", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Pages are not counted against the API, and another client still gets its own allowance.
        using var page = await client.GetAsync("/challenges");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var other = Client("192.0.2.91");
        using var fine = await other.GetAsync("/api/v1/challenges");
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }
}
