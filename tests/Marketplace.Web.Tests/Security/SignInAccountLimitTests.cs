using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// The per-address failure limit over every client (Security:SignIn:MaxFailuresPerAccount): an attacker rotating client
/// addresses can neither guess without limit nor lock the owner out of a device they signed in from before, and a real
/// and an unknown address answer alike (issue #12). Each test has its own app with the limit lowered to six.
/// </summary>
public sealed partial class SignInAccountLimitTests
{
    private const int AccountLimit = 6;

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?Z?|\(in \d+ minutes\)|""traceId"":""[^""]*""")]
    private static partial Regex Volatile();

    [GeneratedRegex(@"<div[^>]*validation-summary[^>]*>.*?</div>", RegexOptions.Singleline)]
    private static partial Regex Summary();

    private sealed class LimitFactory(Dictionary<string, string>? settings = null) : AccountsFactoryBase
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:SignIn:MaxFailuresPerAccount", AccountLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (key, value) in settings ?? [])
            {
                builder.UseSetting(key, value);
            }
        }
    }

    private static async Task<LimitFactory> StartAsync(Dictionary<string, string>? settings = null)
    {
        var factory = new LimitFactory(settings);
        await factory.InitializeAsync();
        return factory;
    }

    private static HttpClient Browser(MarketplaceFactory factory, string address)
    {
        var client = factory.CreateBrowserClient();
        client.DefaultRequestHeaders.Add(MarketplaceFactory.ClientAddressHeader, address);
        return client;
    }

    private static HttpClient Api(MarketplaceFactory factory, string address)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(MarketplaceFactory.ClientAddressHeader, address);
        return client;
    }

    private static async Task<string> PageAnswerAsync(HttpResponseMessage response, string email)
    {
        var html = (await response.ReadHtmlAsync()).Replace(email, "EMAIL", StringComparison.Ordinal);
        var messages = string.Join("|", Summary().Matches(html).Select(m => Regex.Replace(m.Value, "<[^>]+>", " ").Trim()));
        return $"{(int)response.StatusCode} retry:{response.Headers.RetryAfter is not null} {Volatile().Replace(messages, "T")}";
    }

    /// <summary>One wrong password from each of <see cref="AccountLimit"/> client addresses: never the same client twice.</summary>
    private static async Task<List<string>> RotatingAttackAsync(MarketplaceFactory factory, string email, string network)
    {
        var answers = new List<string>();
        for (var i = 1; i <= AccountLimit; i++)
        {
            using var client = Browser(factory, $"{network}.{i}");
            using var response = await client.SignInAsync(email, $"Guess-number-{i}-wrong");
            answers.Add(await PageAnswerAsync(response, email));
        }

        return answers;
    }

    [Fact]
    public async Task RotatingClientAddresses_PauseTheAddressForUnknownClients_ButTheOwnersKnownDeviceSignsIn()
    {
        await using var factory = await StartAsync();
        var victim = AccountTestKit.Unique("victim");
        var attackerOwn = AccountTestKit.Unique("attacker");
        await factory.RegisterAsync(victim);
        await factory.RegisterAsync(attackerOwn);

        // The owner signed in from their laptop before: the app remembers that device.
        using var laptop = Browser(factory, "192.0.2.100");
        using (var first = await laptop.SignInAsync(victim, AccountsFactory.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
            Assert.Contains(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Marketplace.KnownClient=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        }

        var answers = await RotatingAttackAsync(factory, victim, "198.51.100");
        for (var i = 0; i < AccountLimit - 1; i++)
        {
            Assert.StartsWith("200 retry:False", answers[i], StringComparison.Ordinal);
            Assert.Contains("The e-mail address or password is incorrect.", answers[i], StringComparison.Ordinal);
        }

        Assert.StartsWith("429 retry:True", answers[^1], StringComparison.Ordinal);
        Assert.Contains("from devices that have not signed in to it before", answers[^1], StringComparison.Ordinal);

        // No more guesses from a new address, even the right one; nor from a browser known to the attacker's own account.
        using (var fresh = Browser(factory, "198.51.100.77"))
        using (var right = await fresh.SignInAsync(victim, AccountsFactory.Password))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        }

        using (var attackerBrowser = Browser(factory, "198.51.100.78"))
        {
            using var own = await attackerBrowser.SignInAsync(attackerOwn, AccountsFactory.Password);
            Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
            using var aimed = await attackerBrowser.SignInAsync(victim, AccountsFactory.Password);
            Assert.Equal(HttpStatusCode.TooManyRequests, aimed.StatusCode);
        }

        // It is the remembered device, not the network: the laptop signs in from a café; a new browser at home waits.
        laptop.DefaultRequestHeaders.Remove(MarketplaceFactory.ClientAddressHeader);
        laptop.DefaultRequestHeaders.Add(MarketplaceFactory.ClientAddressHeader, "203.0.113.77");
        using (var owner = await laptop.SignInAsync(victim, AccountsFactory.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, owner.StatusCode);
            Assert.Equal("/dashboard", owner.Headers.Location?.OriginalString);
        }

        using (var newBrowserAtHome = Browser(factory, "192.0.2.100"))
        using (var waits = await newBrowserAtHome.SignInAsync(victim, AccountsFactory.Password))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, waits.StatusCode);
        }

        // The pause ends a pause after the last failure.
        factory.Clock.Advance(TimeSpan.FromMinutes(16));
        using var later = Browser(factory, "198.51.100.79");
        using var afterPause = await later.SignInAsync(victim, AccountsFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, afterPause.StatusCode);
    }

    [Fact]
    public async Task RotatingClientAddresses_GetTheSameAnswers_ForARealAndAnUnknownAddress()
    {
        await using var factory = await StartAsync();
        var real = AccountTestKit.Unique("real");
        var unknown = AccountTestKit.Unique("nobody");
        await factory.RegisterAsync(real);

        var realAnswers = await RotatingAttackAsync(factory, real, "198.51.101");
        var unknownAnswers = await RotatingAttackAsync(factory, unknown, "198.51.102");
        using (var a = Browser(factory, "198.51.101.99"))
        using (var ra = await a.SignInAsync(real, AccountsFactory.Password))
        {
            realAnswers.Add(await PageAnswerAsync(ra, real));
        }

        using (var b = Browser(factory, "198.51.102.99"))
        using (var rb = await b.SignInAsync(unknown, AccountsFactory.Password))
        {
            unknownAnswers.Add(await PageAnswerAsync(rb, unknown));
        }

        Assert.Equal(realAnswers, unknownAnswers);
        Assert.StartsWith("429 retry:True", realAnswers[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenEndpoint_RotatingClientAddresses_PauseUnknownClients_NotAClientThatSignedInBefore()
    {
        await using var factory = await StartAsync();
        var victim = AccountTestKit.Unique("apivictim");
        await factory.RegisterAsync(victim);
        using var script = Api(factory, "192.0.2.120");
        using (var token = await script.PostAsJsonAsync("/api/v1/auth/token", new { email = victim, password = AccountsFactory.Password }))
        {
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= AccountLimit + 2; i++)
        {
            using var attacker = Api(factory, $"198.51.103.{i}");
            using var response = await attacker.PostAsJsonAsync("/api/v1/auth/token", new { email = victim, password = $"Guess-number-{i}-wrong" });
            statuses.Add(response.StatusCode);
            if (i == AccountLimit)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.Contains("clients that have not signed in to it before", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, AccountLimit - 1), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], statuses);
        using (var fresh = Api(factory, "198.51.103.50"))
        using (var right = await fresh.PostAsJsonAsync("/api/v1/auth/token", new { email = victim, password = AccountsFactory.Password }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        }

        using var again = await script.PostAsJsonAsync("/api/v1/auth/token", new { email = victim, password = AccountsFactory.Password });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task AForgedOrExpiredKnownClientCookie_DoesNotPassThePause()
    {
        await using var factory = await StartAsync(new() { ["Security:SignIn:KnownClientDays"] = "2" });
        var victim = AccountTestKit.Unique("expired");
        await factory.RegisterAsync(victim);
        using var laptop = Browser(factory, "192.0.2.130");
        using (var first = await laptop.SignInAsync(victim, AccountsFactory.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        // Three days later the laptop is no longer known (the browser still sends the cookie; the app reads its date).
        factory.Clock.Advance(TimeSpan.FromDays(3));
        var answers = await RotatingAttackAsync(factory, victim, "198.51.104");
        Assert.StartsWith("429", answers[^1], StringComparison.Ordinal);
        using (var stale = await laptop.SignInAsync(victim, AccountsFactory.Password))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, stale.StatusCode);
        }

        using var forger = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        forger.DefaultRequestHeaders.Add(MarketplaceFactory.ClientAddressHeader, "198.51.104.200");
        forger.DefaultRequestHeaders.Add("Cookie", "Marketplace.KnownClient=" + Uri.EscapeDataString(victim));
        using var forged = await forger.PostAsJsonAsync("/api/v1/auth/token", new { email = victim, password = AccountsFactory.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, forged.StatusCode);
    }

    [Theory]
    [InlineData("Security:SignIn:MaxFailuresPerAccount", "0")]
    [InlineData("Security:SignIn:KnownClientDays", "-1")]
    [InlineData("Security:SignIn:MaxFailuresPerAccountAndClient", "0")]
    [InlineData("Security:SignIn:PauseMinutes", "0")]
    public async Task ASignInLimitThatMakesNoSense_StopsTheAppAtStartUp_NamingTheKey(string key, string value)
    {
        await using var factory = await StartAsync(new() { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains(key, error.ToString(), StringComparison.Ordinal);
    }
}
