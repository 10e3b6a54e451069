using Marketplace.Core.Application;
using Marketplace.Core.Features.Accounts;
using System.Net;
using Marketplace.Core.Accounts;
using Marketplace.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Account;

/// <summary>Register, sign in and out, lockout and role protection, through HTTP with the real pipeline.</summary>
public sealed class AccountPagesTests(AccountsFactory factory) : IClassFixture<AccountsFactory>
{
    private async Task<AppUser?> FindUserAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
    }

    private static Dictionary<string, string> RegisterFields(string email) => new()
    {
        ["Kind"] = "enterprise",
        ["OrganisationName"] = "江苏华东精密机械有限公司 " + email,
        ["OrganisationNameEn"] = "Huadong Precision " + email.Split('@')[0],
        ["DisplayName"] = "周海涛",
        ["Email"] = email,
        ["Password"] = AccountsFactory.Password,
        ["ConfirmPassword"] = AccountsFactory.Password,
    };

    [Fact]
    public async Task Register_WithValidInput_SignsInAndRedirectsToTheOrganisationPage()
    {
        var client = factory.CreateBrowserClient();
        var email = AccountTestKit.Unique("zhou");

        using var response = await client.PostFormAsync("/account/register", "/account/register", RegisterFields(email));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/organisation", response.Headers.Location?.OriginalString);
        var (status, html) = await client.GetPageAsync("/account/organisation");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("江苏华东精密机械有限公司 " + email, html, StringComparison.Ordinal);
        Assert.Contains("Your organisation is registered and you are signed in.", html, StringComparison.Ordinal);
        Assert.Contains("周海涛", html, StringComparison.Ordinal);
        var user = await FindUserAsync(email);
        Assert.NotNull(user);
    }

    [Fact]
    public async Task Register_WithBadInput_ShowsEachErrorBesideItsField_AndCreatesNoUser()
    {
        var client = factory.CreateBrowserClient();
        var fields = RegisterFields("not-an-email");
        fields["Kind"] = "";
        fields["OrganisationName"] = "";
        fields["Password"] = "short";
        fields["ConfirmPassword"] = "other";

        using var response = await client.PostFormAsync("/account/register", "/account/register", fields);
        var html = await response.ReadHtmlAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RegisterOrganisation.KindRequired, AccountTestKit.FieldError(html, "Kind"));
        Assert.Equal(RegisterOrganisation.OrganisationNameRequired, AccountTestKit.FieldError(html, "OrganisationName"));
        Assert.Equal(AccountValidation.EmailInvalid, AccountTestKit.FieldError(html, "Email"));
        Assert.Contains(AccountValidation.PasswordTooShort, AccountTestKit.FieldError(html, "Password"), StringComparison.Ordinal);
        Assert.Equal(AccountValidation.PasswordsDiffer, AccountTestKit.FieldError(html, "ConfirmPassword"));
        Assert.Matches("class=\"form-control[^\"]* is-invalid\"[^>]*name=\"Email\"", html);
        Assert.Contains("value=\"周海涛\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"short\"", html, StringComparison.Ordinal);
        Assert.Null(await FindUserAsync("not-an-email"));
    }

    [Fact]
    public async Task Register_InChinese_ShowsTranslatedPageAndErrors()
    {
        var client = factory.CreateBrowserClient("zh-CN");
        var fields = RegisterFields(AccountTestKit.Unique("zh"));
        fields["Password"] = "short";
        fields["ConfirmPassword"] = "short";

        using var response = await client.PostFormAsync("/account/register", "/account/register", fields);
        var html = await response.ReadHtmlAsync();

        Assert.Contains("注册您的机构", html, StringComparison.Ordinal);
        Assert.Contains("密码至少需要 10 个字符。", AccountTestKit.FieldError(html, "Password"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithoutTheAntiforgeryToken_IsRejected()
    {
        var client = factory.CreateBrowserClient();
        var email = AccountTestKit.Unique("csrf");

        using var response = await client.PostAsync("/account/register", new FormUrlEncodedContent(RegisterFields(email)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await FindUserAsync(email));
    }

    [Fact]
    public async Task SignIn_ThenSignOut_ChangesWhatTheVisitorMaySee()
    {
        var email = AccountTestKit.Unique("signin");
        await factory.RegisterAsync(email);
        var client = factory.CreateBrowserClient();

        using var signIn = await client.SignInAsync(email.ToUpperInvariant(), AccountsFactory.Password, "/account/organisation");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/account/organisation", signIn.Headers.Location?.OriginalString);
        var (status, page) = await client.GetPageAsync("/account/organisation");
        Assert.Equal(HttpStatusCode.OK, status);

        using var signOut = await client.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AccountTestKit.AntiforgeryToken(page),
        }));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await client.GetAsync("/account/organisation");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/signin", after.Headers.Location?.PathAndQuery ?? after.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithAForeignReturnUrl_StaysOnThisSite_OnTheDashboard()
    {
        var email = AccountTestKit.Unique("return");
        await factory.RegisterAsync(email);
        var client = factory.CreateBrowserClient();

        using var response = await client.SignInAsync(email, AccountsFactory.Password, "https://evil.example/phish");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_SaysSo()
    {
        var email = AccountTestKit.Unique("wrong");
        await factory.RegisterAsync(email);
        var client = factory.CreateBrowserClient();

        using var first = await client.SignInAsync(email, "Not-the-password-1");
        using var second = await client.SignInAsync(email, "Not-the-password-1");
        var firstHtml = await first.ReadHtmlAsync();
        var secondHtml = await second.ReadHtmlAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("The e-mail address or password is incorrect.", firstHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("more failed attempts", firstHtml, StringComparison.Ordinal);
        Assert.Contains("3 more failed attempts will pause sign-in to this address from your network for 15 minutes.", secondHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiveWrongPasswords_PauseThatAddressFromThatNetwork_NotTheAccount()
    {
        var email = AccountTestKit.Unique("lock");
        await factory.RegisterAsync(email);
        var attacker = factory.CreateBrowserClient();
        attacker.DefaultRequestHeaders.Add(MarketplaceFactory.ClientAddressHeader, "203.0.113.66");

        for (var i = 0; i < 4; i++)
        {
            using var failed = await attacker.SignInAsync(email, "Not-the-password-1");
            Assert.DoesNotContain("try again after", await failed.ReadHtmlAsync(), StringComparison.Ordinal);
        }

        using var fifth = await attacker.SignInAsync(email, "Not-the-password-1");
        using var right = await attacker.SignInAsync(email, AccountsFactory.Password);
        var html = await right.ReadHtmlAsync();

        Assert.Contains("Too many failed sign-ins to this address from your network: try again after", await fifth.ReadHtmlAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(14), right.Headers.RetryAfter?.ToString());
        Assert.Contains("(in 15 minutes)", html, StringComparison.Ordinal);

        // The owner, from their own network, signs in: the account itself was never locked.
        var owner = factory.CreateBrowserClient();
        owner.DefaultRequestHeaders.Add(MarketplaceFactory.ClientAddressHeader, "198.51.100.7");
        using var ownerSignIn = await owner.SignInAsync(email, AccountsFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, ownerSignIn.StatusCode);
        Assert.Null((await FindUserAsync(email))!.LockoutEnd);

        // The pause ends by itself.
        factory.Clock.Advance(TimeSpan.FromMinutes(16));
        using var later = await attacker.SignInAsync(email, AccountsFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);
    }

    [Fact]
    public async Task AdminUsers_WhenSignedOut_RedirectsToSignIn()
    {
        var client = factory.CreateBrowserClient();

        using var response = await client.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/signin?returnUrl=%2Fadmin%2Fusers", response.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task AdminUsers_ForAVendor_IsAForbidden403Page()
    {
        var email = AccountTestKit.Unique("vendor");
        await factory.RegisterAsync(email, "vendor");
        var client = factory.CreateBrowserClient();
        (await client.SignInAsync(email, AccountsFactory.Password)).Dispose();

        var (status, html) = await client.GetPageAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Your account does not have access to this page.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminUsers_ForAnAdmin_ListsUsersWithRolesAndOrganisations()
    {
        var vendorEmail = AccountTestKit.Unique("listed");
        await factory.RegisterAsync(vendorEmail, "vendor", "Listed Vision Co");
        var adminEmail = AccountTestKit.Unique("admin");
        await factory.AddUserAsync(adminEmail, Roles.Admin);
        var client = factory.CreateBrowserClient();
        (await client.SignInAsync(adminEmail, AccountsFactory.Password)).Dispose();

        var (status, html) = await client.GetPageAsync("/admin/users");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(vendorEmail, html, StringComparison.Ordinal);
        Assert.Contains("Listed Vision Co", html, StringComparison.Ordinal);
        Assert.Contains(adminEmail, html, StringComparison.Ordinal);
        Assert.Contains(">Admin<", html, StringComparison.Ordinal);
    }
}
