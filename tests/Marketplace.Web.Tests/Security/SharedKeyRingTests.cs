using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Marketplace.Testing;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// Two instances of the application on one database share the data-protection key ring (stored in the database,
/// migration 0018): a cookie, an antiforgery token, a bearer token and any protected payload made by one are read by
/// the other. An instance on another database is the control: it reads none of them (issue #12).
/// </summary>
public sealed class SharedKeyRingTests
{
    private sealed class SecondInstance(TestDatabase shared) : MarketplaceFactory(shared);

    private sealed class OnEngineFactory(string engine) : MarketplaceFactory
    {
        protected override string Engine => engine;
    }

    private static HttpClient Plain(MarketplaceFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : []);

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task TwoInstancesOnOneDatabase_ReadEachOthersCookiesTokensAndPayloads(string engine)
    {
        await using var first = new OnEngineFactory(engine);
        await first.InitializeAsync();
        using var firstClient = Plain(first);

        // Sign in on the first instance by hand, keeping its antiforgery token and cookies.
        using var form = await firstClient.GetAsync("/account/signin");
        var antiforgeryCookie = Cookies(form);
        var token = AccountTestKit.AntiforgeryToken(await form.Content.ReadAsStringAsync());
        var fields = new Dictionary<string, string> { ["Email"] = "vendor@test.example", ["Password"] = MarketplaceFactory.TestPassword, ["__RequestVerificationToken"] = token };

        await using var second = new SecondInstance(first.Database);
        await second.InitializeAsync();
        await using var elsewhere = new MarketplaceFactory();
        await elsewhere.InitializeAsync();

        // The first instance's antiforgery token and cookie, posted to the second: accepted, and the sign-in succeeds.
        using var secondClient = Plain(second);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/signin") { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", antiforgeryCookie);
        using var signedIn = await secondClient.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var authCookie = Cookies(signedIn);
        Assert.Contains("marketplace.auth", authCookie, StringComparison.Ordinal);

        // The second instance's auth cookie opens a signed-in page on the first; not on an instance of another database.
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(firstClient, authCookie));
        using var elsewhereClient = Plain(elsewhere);
        Assert.Equal(HttpStatusCode.Redirect, await StatusWithCookieAsync(elsewhereClient, authCookie));

        // A bearer token issued by the first instance is accepted by the second.
        using var tokenResponse = await firstClient.PostAsJsonAsync("/api/v1/auth/token", new { email = "vendor@test.example", password = MarketplaceFactory.TestPassword });
        var accessToken = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        me.Headers.Authorization = new("Bearer", accessToken);
        Assert.Equal(HttpStatusCode.OK, (await secondClient.SendAsync(me)).StatusCode);

        // Any protected payload: protected by one, unprotected by the other.
        var payload = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("shared secret");
        Assert.Equal("shared secret", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(payload));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            elsewhere.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(payload));

        await using var connection = await first.Database.Connections.OpenAsync();
        Assert.True(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM data_protection_keys") >= 1);
    }

    private static async Task<HttpStatusCode> StatusWithCookieAsync(HttpClient client, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/my/proposals");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
