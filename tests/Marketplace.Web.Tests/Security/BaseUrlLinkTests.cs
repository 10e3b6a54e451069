using System.Net;
using System.Text.RegularExpressions;
using Marketplace.Web.Tests.Account;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// Links people are given to share or click (an invitation link, the links in e-mails) start with the configured
/// Marketplace:BaseUrl, never with the request's Host header: a forged Host cannot turn an invitation into a link to
/// the attacker's site (issue #12).
/// </summary>
public sealed class BaseUrlLinkTests(BaseUrlLinkTests.BaseUrlFactory factory) : IClassFixture<BaseUrlLinkTests.BaseUrlFactory>
{
    public const string BaseUrl = "https://marketplace.programme.example";

    public sealed class BaseUrlFactory : AccountsFactoryBase
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Marketplace:BaseUrl", BaseUrl);
        }
    }

    [Fact]
    public async Task InvitationLink_WithAForgedHostHeader_UsesTheConfiguredBaseUrl()
    {
        var ownerEmail = AccountTestKit.Unique("owner");
        var organisation = await factory.RegisterAsync(ownerEmail, "enterprise");
        var owner = factory.CreateBrowserClient();
        (await owner.SignInAsync(ownerEmail, AccountsFactory.Password)).Dispose();
        owner.DefaultRequestHeaders.Host = "evil.example";

        using var response = await owner.PostFormAsync($"/account/organisation?org={organisation.Slug}", "/account/organisation/invitations", new Dictionary<string, string>
        {
            ["Invite.Org"] = organisation.Slug,
            ["Invite.Email"] = AccountTestKit.Unique("invitee"),
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, page) = await owner.GetPageAsync(response.Headers.Location!.OriginalString);

        var link = Regex.Match(page, "value=\"([^\"]+/account/invitations/[^\"]+)\"");
        Assert.True(link.Success, "The organisation page shows no invitation link.");
        Assert.StartsWith(BaseUrl + "/account/invitations/", link.Groups[1].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", page, StringComparison.Ordinal);
    }
}
