using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// Nobody learns whether an address has an account from the sign-in page or the token endpoint: the same words,
/// statuses, warnings and pauses for a real and an unknown address, and about the same time (issue #12).
/// </summary>
public sealed partial class AccountEnumerationTests(AccountsFactory factory) : IClassFixture<AccountsFactory>
{
    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?Z?|\(in \d+ minutes\)|""traceId"":""[^""]*""")]
    private static partial Regex Volatile();

    [GeneratedRegex(@"<div[^>]*validation-summary[^>]*>.*?</div>|<span[^>]*data-field=""[^""]*""[^>]*>.*?</span>", RegexOptions.Singleline)]
    private static partial Regex Messages();

    private static HttpClient From(HttpClient client, string address)
    {
        client.DefaultRequestHeaders.Add(MarketplaceFactory.ClientAddressHeader, address);
        return client;
    }

    /// <summary>What a person can see of a page answer: the status, Retry-After, and the form's messages (times blanked).</summary>
    private static async Task<string> PageAnswerAsync(HttpResponseMessage response, string email)
    {
        var html = (await response.ReadHtmlAsync()).Replace(email, "EMAIL", StringComparison.Ordinal);
        var messages = string.Join("|", Messages().Matches(html).Select(m => Regex.Replace(m.Value, "<[^>]+>", " ").Trim()));
        return $"{(int)response.StatusCode} retry:{response.Headers.RetryAfter is not null} {Volatile().Replace(messages, "T")}";
    }

    private static async Task<string> ApiAnswerAsync(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} retry:{response.Headers.RetryAfter is not null} {Volatile().Replace(await response.Content.ReadAsStringAsync(), "T")}";

    [Fact]
    public async Task SignInPage_KnownAndUnknownAddresses_GetTheSameAnswers_ThroughThePause()
    {
        var known = AccountTestKit.Unique("known");
        var unknown = AccountTestKit.Unique("nobody");
        await factory.RegisterAsync(known);
        var answers = new Dictionary<string, List<string>>();
        foreach (var (email, address) in new[] { (known, "192.0.2.10"), (unknown, "192.0.2.11") })
        {
            var client = From(factory.CreateBrowserClient(), address);
            answers[email] = [];
            for (var i = 0; i < 7; i++)
            {
                using var response = await client.SignInAsync(email, "Not-the-password-1");
                answers[email].Add(await PageAnswerAsync(response, email));
            }
        }

        Assert.Equal(answers[known], answers[unknown]);
        Assert.Contains("The e-mail address or password is incorrect.", answers[known][0], StringComparison.Ordinal);
        Assert.Contains("2 more failed attempts", answers[known][2], StringComparison.Ordinal);
        Assert.StartsWith("429 retry:True", answers[known][4], StringComparison.Ordinal);
        Assert.StartsWith("429 retry:True", answers[known][6], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenEndpoint_KnownAndUnknownAddresses_GetTheSameAnswers_ThroughThePause()
    {
        var known = AccountTestKit.Unique("known");
        var unknown = AccountTestKit.Unique("nobody");
        await factory.RegisterAsync(known);
        var answers = new Dictionary<string, List<string>>();
        foreach (var (email, address) in new[] { (known, "192.0.2.20"), (unknown, "192.0.2.21") })
        {
            using var client = From(factory.CreateClient(), address);
            answers[email] = [];
            for (var i = 0; i < 7; i++)
            {
                using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password = "Not-the-password-1" });
                answers[email].Add(await ApiAnswerAsync(response));
            }
        }

        Assert.Equal(answers[known], answers[unknown]);
        Assert.StartsWith("401 retry:False", answers[known][0], StringComparison.Ordinal);
        Assert.StartsWith("429 retry:True", answers[known][4], StringComparison.Ordinal);
        Assert.StartsWith("429 retry:True", answers[known][6], StringComparison.Ordinal);

        // The right password from the paused client waits too; from another client it works.
        using var paused = From(factory.CreateClient(), "192.0.2.20");
        using var stillPaused = await paused.PostAsJsonAsync("/api/v1/auth/token", new { email = known, password = AccountsFactory.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, stillPaused.StatusCode);
        using var elsewhere = From(factory.CreateClient(), "192.0.2.29");
        using var token = await elsewhere.PostAsJsonAsync("/api/v1/auth/token", new { email = known, password = AccountsFactory.Password });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task TokenEndpoint_TakesAboutAsLong_ForAnUnknownAddressAsForAKnownOne()
    {
        var known = AccountTestKit.Unique("timing");
        await factory.RegisterAsync(known);
        using var client = factory.CreateClient();

        async Task<double> MedianMillisecondsAsync(string email)
        {
            var times = new List<double>();
            for (var i = 0; i < 9; i++)
            {
                // A new client address each time, so the pause never answers instead of the password check.
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token") { Content = JsonContent.Create(new { email, password = "Not-the-password-1" }) };
                request.Headers.Add(MarketplaceFactory.ClientAddressHeader, $"198.18.{i}.{email.Length % 250}");
                var watch = Stopwatch.StartNew();
                using var response = await client.SendAsync(request);
                watch.Stop();
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            return times[times.Count / 2];
        }

        await MedianMillisecondsAsync(AccountTestKit.Unique("warmup"));
        var knownMs = await MedianMillisecondsAsync(known);
        var unknownMs = await MedianMillisecondsAsync(AccountTestKit.Unique("nobody"));

        // The password hash dominates a real check (PBKDF2, tens of milliseconds); an unknown address used to skip it.
        Assert.True(unknownMs > knownMs / 3 && unknownMs < knownMs * 3, $"known {knownMs:F1} ms, unknown {unknownMs:F1} ms");
        Assert.True(knownMs > 5, $"the check should include the password hash: known {knownMs:F1} ms");
    }

    [Fact]
    public async Task ManyAddressesFromOneClient_PauseThatClient()
    {
        // Password spraying: one client, a different address each time. The per-client limit is raised for the
        // other tests (MarketplaceFactory); this client is counted against the real default through its own factory.
        await using var strict = new StrictFactory();
        await strict.InitializeAsync();
        using var client = From(strict.CreateClient(), "203.0.113.200");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = AccountTestKit.Unique("spray"), password = "Not-the-password-1" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        using var other = From(strict.CreateClient(), "203.0.113.201");
        using var fine = await other.PostAsJsonAsync("/api/v1/auth/token", new { email = AccountTestKit.Unique("spray"), password = "Not-the-password-1" });
        Assert.Equal(HttpStatusCode.Unauthorized, fine.StatusCode);
    }

    private sealed class StrictFactory : AccountsFactoryBase
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Security:SignIn:MaxFailuresPerClient", "3");
        }
    }
}
