using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Marketplace.Web.Tests.Account;

/// <summary>Bearer tokens under /api/v1: issue, refresh, use, and every failure as RFC 7807 problem details.</summary>
public sealed class AccountApiTests(AccountsFactory factory) : IClassFixture<AccountsFactory>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Token_ThenMe_ReturnsTheUserWithRolesAndOrganisations()
    {
        var email = AccountTestKit.Unique("api");
        var organisation = await factory.RegisterAsync(email, "vendor", "API Vision Co");
        var client = factory.CreateClient();

        using var tokenResponse = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password = AccountsFactory.Password });
        var token = await JsonAsync(tokenResponse);

        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.Equal(3600, token.GetProperty("expiresIn").GetInt32());
        Assert.False(string.IsNullOrEmpty(token.GetProperty("refreshToken").GetString()));
        // No sign-in cookie: the only cookie is the known-client mark (Security/SignInAccountLimitTests), which signs nobody in.
        var cookies = tokenResponse.Headers.TryGetValues("Set-Cookie", out var setCookies) ? setCookies.ToList() : [];
        Assert.All(cookies, c => Assert.StartsWith("Marketplace.KnownClient=", c, StringComparison.Ordinal));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        using var meResponse = await client.SendAsync(request);
        var me = await JsonAsync(meResponse);

        Assert.Equal(HttpStatusCode.OK, meResponse.StatusCode);
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal(organisation.UserId, me.GetProperty("id").GetInt64());
        Assert.Equal("Vendor", me.GetProperty("roles")[0].GetString());
        var org = me.GetProperty("organisations")[0];
        Assert.Equal(organisation.Slug, org.GetProperty("slug").GetString());
        Assert.Equal("API Vision Co", org.GetProperty("name").GetString());
        Assert.Equal("vendor", org.GetProperty("kind").GetString());
        Assert.True(org.GetProperty("isOwner").GetBoolean());
    }

    [Fact]
    public async Task Refresh_GivesANewAccessToken_AndRefusesGarbage()
    {
        var email = AccountTestKit.Unique("refresh");
        await factory.RegisterAsync(email);
        var client = factory.CreateClient();
        using var tokenResponse = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password = AccountsFactory.Password });
        var refreshToken = (await JsonAsync(tokenResponse)).GetProperty("refreshToken").GetString();

        using var refreshed = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });
        using var garbage = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "not-a-token" });

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.False(string.IsNullOrEmpty((await JsonAsync(refreshed)).GetProperty("accessToken").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
        Assert.Equal("application/problem+json", garbage.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Me_WithoutAToken_Is401ProblemDetails_NotARedirect()
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/api/v1/me");
        var problem = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Me_WithASignInCookieButNoToken_IsStill401()
    {
        var email = AccountTestKit.Unique("cookie");
        await factory.RegisterAsync(email);
        var client = factory.CreateBrowserClient();
        (await client.SignInAsync(email, AccountsFactory.Password)).Dispose();

        using var response = await client.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_WithWrongPassword_Is401ProblemDetails()
    {
        var email = AccountTestKit.Unique("apiwrong");
        await factory.RegisterAsync(email);
        var client = factory.CreateClient();

        using var wrong = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password = "Not-the-password-1" });
        using var unknown = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "nobody@example.cn", password = "Not-the-password-1" });

        foreach (var response in new[] { wrong, unknown })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("The e-mail address or password is incorrect.", (await JsonAsync(response)).GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Token_WithBadInput_IsAValidationProblemNamingTheFields()
    {
        var client = factory.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "not-an-email" });
        var problem = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }
}
