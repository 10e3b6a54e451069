using Marketplace.Core.Application;
using Marketplace.Core.Features.Accounts;
using System.Net;
using System.Text.RegularExpressions;
using Marketplace.Data.Accounts;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Account;

/// <summary>The application on an empty database of its own: account tests make every person they need.</summary>
public sealed class AccountsFactory : AccountsFactoryBase;

public abstract class AccountsFactoryBase : MarketplaceFactory
{
    public const string Password = "Strong-pass-2026";

    protected override bool SeedTestData => false;

    public async Task<RegisteredOrganisation> RegisterAsync(string email, string kind = "vendor", string? name = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<UseCaseRunner>().RunAsync(scope.ServiceProvider.GetRequiredService<RegisterOrganisation>(), null, new RegisterOrganisationRequest
        {
            Kind = kind,
            OrganisationName = name ?? "Organisation of " + email,
            DisplayName = "Owner of " + email,
            Email = email,
            Password = Password,
            ConfirmPassword = Password,
        }, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value!;
    }

    public async Task<AddedUser> AddUserAsync(string email, string role, string? org = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<UseCaseRunner>().RunAsync(scope.ServiceProvider.GetRequiredService<AddUser>(), null, 
            new AddUserRequest { Email = email, Role = role, OrganisationSlug = org, Password = Password }, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value!;
    }
}

/// <summary>Form posts the way a browser makes them: the antiforgery token read from the page first.</summary>
public static partial class AccountTestKit
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public static string Unique(string prefix) => $"{prefix}.{Guid.NewGuid():N}"[..(prefix.Length + 9)] + "@example.cn";

    public static async Task<(HttpStatusCode Status, string Html)> GetPageAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    public static string AntiforgeryToken(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "The page has no antiforgery token.");
        return match.Groups[1].Value;
    }

    /// <summary>Loads <paramref name="pageUrl"/> for its antiforgery token, then posts the fields to <paramref name="postUrl"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string pageUrl, string postUrl, IDictionary<string, string> fields)
    {
        var (_, html) = await client.GetPageAsync(pageUrl);
        var values = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = AntiforgeryToken(html) };
        return await client.PostAsync(postUrl, new FormUrlEncodedContent(values));
    }

    public static Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password, string? returnUrl = null) =>
        client.PostFormAsync("/account/signin", "/account/signin", new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["ReturnUrl"] = returnUrl ?? "",
        });

    public static async Task<string> ReadHtmlAsync(this HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    /// <summary>The message shown beside a form field (the span with data-field).</summary>
    public static string FieldError(string html, string field)
    {
        var match = Regex.Match(html, $"data-field=\"{Regex.Escape(field)}\"[^>]*>(.*?)</span>", RegexOptions.Singleline);
        return match.Success ? Regex.Replace(match.Groups[1].Value, "<[^>]+>", "").Trim() : "";
    }
}
