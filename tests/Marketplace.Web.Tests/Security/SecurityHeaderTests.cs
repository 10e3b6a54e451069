using System.Net;
using System.Net.Http.Json;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// Every response carries the security headers: a page, an API answer, an API error, a page error, a static file;
/// cookies are HttpOnly, SameSite and (outside Development) Secure; HSTS is sent on HTTPS outside Development; and no
/// view has an inline script, an on* handler or a style attribute, which the Content-Security-Policy would block.
/// </summary>
public sealed class SecurityHeaderTests(SecurityHeaderTests.ProductionLikeFactory factory) : IClassFixture<SecurityHeaderTests.ProductionLikeFactory>
{
    /// <summary>Cookies marked Secure, as in production; the environment stays Testing so the test data is seeded.</summary>
    public sealed class ProductionLikeFactory : MarketplaceFactory
    {
        protected override bool SecureCookies => true;
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response, string what)
    {
        string Header(string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
        var csp = Header("Content-Security-Policy");
        Assert.True(csp.Contains("script-src 'self';", StringComparison.Ordinal), $"{what}: CSP '{csp}'");
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header("X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header("Referrer-Policy"));
        Assert.Equal("DENY", Header("X-Frame-Options"));
    }

    [Fact]
    public async Task EveryKindOfResponse_CarriesTheSecurityHeaders()
    {
        using var browser = factory.CreateBrowserClient();
        using var api = await factory.ApiClientAsync("enterprise@test.example");
        var responses = new List<(string What, HttpResponseMessage Response)>
        {
            ("page", await browser.GetAsync("/challenges")),
            ("sign-in page", await browser.GetAsync("/account/signin")),
            ("page 404", await browser.GetAsync("/no-such-page")),
            ("static file", await browser.GetAsync("/js/site.js")),
            ("api", await api.GetAsync("/api/v1/challenges")),
            ("api 404", await api.GetAsync("/api/v1/challenges/987654")),
            ("api 400", await api.PostAsJsonAsync("/api/v1/challenges", new { })),
            ("api 401", await factory.CreateClient().GetAsync("/api/v1/me")),
        };

        Assert.Equal(HttpStatusCode.NotFound, responses[2].Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, responses[6].Response.StatusCode);
        foreach (var (what, response) in responses)
        {
            AssertSecurityHeaders(response, what);
            response.Dispose();
        }
    }

    [Fact]
    public async Task Cookies_AreHttpOnly_SameSite_AndSecure()
    {
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://marketplace.example") });
        using var form = await browser.GetAsync("/account/signin");
        var html = await form.Content.ReadAsStringAsync();
        var antiforgeryCookie = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = "vendor@test.example",
                ["Password"] = MarketplaceFactory.TestPassword,
                ["__RequestVerificationToken"] = Account.AccountTestKit.AntiforgeryToken(html),
            }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie.Split(';')[0]);
        using var signedIn = await browser.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var cookies = form.Headers.GetValues("Set-Cookie").Concat(signedIn.Headers.GetValues("Set-Cookie")).ToList();
        Assert.Contains(cookies, c => c.StartsWith("marketplace.auth=", StringComparison.Ordinal));
        Assert.All(cookies, cookie =>
        {
            var attributes = cookie.ToLowerInvariant();
            Assert.Contains("; httponly", attributes, StringComparison.Ordinal);
            Assert.Contains("; secure", attributes, StringComparison.Ordinal);
            Assert.Matches("; samesite=(lax|strict)", attributes);
        });

        // HSTS on an HTTPS response outside Development.
        using var page = await browser.GetAsync("/challenges");
        Assert.True(page.Headers.TryGetValues("Strict-Transport-Security", out var hsts), "no Strict-Transport-Security header");
        Assert.Contains("max-age=31536000", hsts.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Views_HaveNoInlineScript_Handler_OrStyleAttribute()
    {
        var features = Path.Combine(MarketplaceFactory.RepositoryRoot, "src", "Marketplace.Web", "Features");
        var offenders = Directory.GetFiles(features, "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(view => File.ReadAllLines(view).Select((line, index) => (view, line, index)))
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l.line, @"<script(?![^>]*\bsrc=)(?![^>]*type=""application/json"")[^>]*>|\son[a-z]+\s*=\s*[""']|\sstyle\s*=\s*[""']", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            .Select(l => $"{Path.GetRelativePath(features, l.view)}:{l.index + 1}: {l.line.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }
}
