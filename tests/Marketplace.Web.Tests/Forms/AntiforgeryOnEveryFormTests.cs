using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Forms;

/// <summary>
/// Every POST form on every page a role reaches carries its own antiforgery token. (Checking the page as a
/// whole is not enough: one form's token would hide another form's missing one — a real browser posts only
/// the form it submits.)
/// </summary>
public sealed partial class AntiforgeryOnEveryFormTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    [GeneratedRegex(@"<form\b[^>]*method=""post""[^>]*>.*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex PostForm();

    [Theory]
    [InlineData("enterprise@test.example", new[] { "/", "/my/challenges", "/my/challenges/new", "/notifications", "/account/organisation", "/email/preferences", "{steel}" })]
    [InlineData("vendor@test.example", new[] { "/recommendations", "/my/proposals", "/notifications", "{steel}", "{steel}/proposals/new" })]
    [InlineData("officer@test.example", new[] { "/screening", "/screening/negative-list", "/notifications", "{steel}" })]
    [InlineData("admin@test.example", new[] { "/admin/users", "/admin/email" })]
    public async Task EveryPostForm_CarriesAnAntiforgeryToken(string email, string[] pages)
    {
        var client = factory.CreateBrowserClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, MarketplaceFactory.TestPassword)).StatusCode);
        var steel = await SteelChallengeUrlAsync();
        var checkedForms = 0;

        foreach (var page in pages.Select(p => p.Replace("{steel}", steel, StringComparison.Ordinal)))
        {
            var (status, html) = await client.GetPageAsync(page);
            if (status != HttpStatusCode.OK)
            {
                continue;
            }

            foreach (Match form in PostForm().Matches(html))
            {
                checkedForms++;
                Assert.True(form.Value.Contains("__RequestVerificationToken", StringComparison.Ordinal), $"{page}: a POST form has no antiforgery token: {form.Value[..Math.Min(200, form.Value.Length)]}");
                Assert.True(Regex.Count(form.Value, "__RequestVerificationToken") == 1, $"{page}: a POST form carries two tokens");
            }
        }

        Assert.True(checkedForms > 0, "no form was checked");
    }

    private async Task<string> SteelChallengeUrlAsync()
    {
        var list = await factory.CreateBrowserClient().GetFromJsonAsync<JsonElement>("/api/v1/challenges?pageSize=100");
        var id = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetString() == "冷轧带钢表面缺陷在线检测").GetProperty("id").GetInt64();
        return $"/challenges/{id}";
    }
}
