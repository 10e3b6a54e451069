using System.Net;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// Behind a reverse proxy (Security:Proxies) the per-client limits count each client, not the proxy: X-Forwarded-For is
/// applied when the request comes from a configured proxy and ignored from anyone else, who could otherwise dodge a limit
/// by inventing addresses.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xUnit disposes the factory through IAsyncLifetime after each test.")]
public sealed class ProxyTests : IAsyncLifetime
{
    private const string Proxy = "192.0.2.10";
    private readonly ProxiedFactory _factory = new();

    public Task InitializeAsync() => _factory.InitializeAsync();

    public Task DisposeAsync() => _factory.DisposeAsync();

    private sealed class ProxiedFactory : AccountsFactoryBase
    {
        protected override bool RateLimitsOff => false;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:RateLimits:SignIn:PermitLimit", "2");
            foreach (var other in new[] { "Registration", "Invitations", "Api" })
            {
                builder.UseSetting($"Security:RateLimits:{other}:PermitLimit", "1000000");
            }

            builder.UseSetting("Security:Proxies:KnownProxies:0", Proxy);
        }
    }

    private HttpClient Client(string connectedFrom, string forwardedFor)
    {
        var client = _factory.CreateBrowserClient();
        client.DefaultRequestHeaders.Add(MarketplaceFactory.ClientAddressHeader, connectedFrom);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    private static async Task<HttpStatusCode> SignInAsync(HttpClient client)
    {
        using var response = await client.SignInAsync(AccountTestKit.Unique("proxy"), "Not-the-password-1");
        return response.StatusCode;
    }

    [Fact]
    public async Task ThroughAKnownProxy_EachForwardedClientHasItsOwnLimit()
    {
        using var first = Client(Proxy, "198.51.100.1");
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(first));
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(first));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(first));

        // Another user behind the same proxy is not throttled with the first one.
        using var second = Client(Proxy, "198.51.100.2");
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(second));
    }

    [Fact]
    public async Task FromAnAddressThatIsNoProxy_XForwardedForIsIgnored_SoItCannotDodgeTheLimit()
    {
        using var attacker = Client("203.0.113.9", "198.51.100.3");
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(attacker));
        Assert.Equal(HttpStatusCode.OK, await SignInAsync(attacker));

        // A fresh invented address changes nothing: the limit is on the address the request really came from.
        using var sameAttacker = Client("203.0.113.9", "198.51.100.4");
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(sameAttacker));
    }
}
