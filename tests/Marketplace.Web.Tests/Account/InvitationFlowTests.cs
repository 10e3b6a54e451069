using Marketplace.Core.Application;
using Marketplace.Core.Features.Accounts;
using System.Net;
using System.Text.RegularExpressions;
using Marketplace.Core.Accounts;
using Marketplace.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Account;

/// <summary>An owner invites a colleague; the colleague follows the link and joins, signed in.</summary>
public sealed class InvitationFlowTests(AccountsFactory factory) : IClassFixture<AccountsFactory>
{
    internal static async Task<string> InviteAsync(HttpClient owner, string slug, string email)
    {
        using var response = await owner.PostFormAsync($"/account/organisation?org={slug}", "/account/organisation/invitations", new Dictionary<string, string>
        {
            ["Invite.Org"] = slug,
            ["Invite.Email"] = email,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, page) = await owner.GetPageAsync(response.Headers.Location!.OriginalString);
        var link = Regex.Match(page, "value=\"(http://[^\"]+/account/invitations/[^\"]+)\"");
        Assert.True(link.Success, "The organisation page shows no invitation link.");
        Assert.Contains(email, page, StringComparison.Ordinal);
        return new Uri(link.Groups[1].Value).PathAndQuery;
    }

    [Fact]
    public async Task OwnerInvites_NewColleagueCreatesAccount_AndIsSignedInAsAMember()
    {
        var ownerEmail = AccountTestKit.Unique("owner");
        var organisation = await factory.RegisterAsync(ownerEmail, "enterprise", "Invite Steel Co");
        var owner = factory.CreateBrowserClient();
        (await owner.SignInAsync(ownerEmail, AccountsFactory.Password)).Dispose();
        var colleagueEmail = AccountTestKit.Unique("colleague");

        var path = await InviteAsync(owner, organisation.Slug, colleagueEmail);

        var colleague = factory.CreateBrowserClient();
        var (status, invitationPage) = await colleague.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Join Invite Steel Co", invitationPage, StringComparison.Ordinal);
        Assert.Contains(colleagueEmail, invitationPage, StringComparison.Ordinal);

        using var weak = await colleague.PostFormAsync(path, path, new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "孙丽",
            ["Form.Password"] = "weak",
            ["Form.ConfirmPassword"] = "weak",
        });
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains(AccountValidation.PasswordTooShort, AccountTestKit.FieldError(await weak.ReadHtmlAsync(), "Form.Password"), StringComparison.Ordinal);

        using var accepted = await colleague.PostFormAsync(path, path, new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "孙丽",
            ["Form.Password"] = AccountsFactory.Password,
            ["Form.ConfirmPassword"] = AccountsFactory.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var (memberStatus, memberPage) = await colleague.GetPageAsync(accepted.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, memberStatus);
        Assert.Contains("Welcome! You have joined the organisation.", memberPage, StringComparison.Ordinal);
        Assert.Contains("孙丽", memberPage, StringComparison.Ordinal);
        Assert.Contains(ownerEmail, memberPage, StringComparison.Ordinal);
        Assert.Contains("Only the organisation's owners can invite new members.", memberPage, StringComparison.Ordinal);

        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.Equal([Roles.Enterprise], await users.GetRolesAsync((await users.FindByEmailAsync(colleagueEmail))!));

        var (_, usedPage) = await factory.CreateBrowserClient().GetPageAsync(path);
        Assert.Contains(AcceptInvitation.AlreadyUsed, usedPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExistingUser_SignsInThroughTheLink_AndJoinsWithTheNewRole()
    {
        var ownerEmail = AccountTestKit.Unique("factory");
        var organisation = await factory.RegisterAsync(ownerEmail, "enterprise", "Join Factory Co");
        var vendorEmail = AccountTestKit.Unique("consultant");
        await factory.RegisterAsync(vendorEmail, "vendor");
        var owner = factory.CreateBrowserClient();
        (await owner.SignInAsync(ownerEmail, AccountsFactory.Password)).Dispose();
        var path = await InviteAsync(owner, organisation.Slug, vendorEmail);

        var member = factory.CreateBrowserClient();
        var (_, signInFirst) = await member.GetPageAsync(path);
        Assert.Contains(AcceptInvitation.AccountExists, signInFirst, StringComparison.Ordinal);
        using var signedIn = await member.SignInAsync(vendorEmail, AccountsFactory.Password, path);
        Assert.Equal(path, signedIn.Headers.Location?.OriginalString);

        using var joined = await member.PostFormAsync(path, path, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        Assert.Equal($"/account/organisation?org={organisation.Slug}", joined.Headers.Location?.OriginalString);
        var (_, page) = await member.GetPageAsync(joined.Headers.Location!.OriginalString);
        Assert.Contains("Join Factory Co", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberWhoIsNotAnOwner_CannotInvite()
    {
        var ownerEmail = AccountTestKit.Unique("boss");
        var organisation = await factory.RegisterAsync(ownerEmail, "vendor");
        var memberEmail = AccountTestKit.Unique("staff");
        await factory.AddUserAsync(memberEmail, Roles.Vendor, organisation.Slug);
        var member = factory.CreateBrowserClient();
        (await member.SignInAsync(memberEmail, AccountsFactory.Password)).Dispose();

        using var response = await member.PostFormAsync("/account/organisation", "/account/organisation/invitations", new Dictionary<string, string>
        {
            ["Invite.Org"] = organisation.Slug,
            ["Invite.Email"] = AccountTestKit.Unique("friend"),
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AnUnknownInvitationLink_IsA404WithAnExplanation()
    {
        var (status, html) = await factory.CreateBrowserClient().GetPageAsync("/account/invitations/made-up-token");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(AcceptInvitation.InvalidLink, html, StringComparison.Ordinal);
    }
}
