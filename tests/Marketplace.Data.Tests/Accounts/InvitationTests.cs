using Marketplace.Core.Application;
using Marketplace.Core.Features.Accounts;
using Marketplace.Core.Accounts;
using Marketplace.Core.Common;
using Marketplace.Data.Accounts;
using Marketplace.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Data.Tests.Accounts;

public sealed class InvitationTests
{
    private static Task<Result<InvitationCreated>> InviteAsync(AccountsHarness harness, RegisteredOrganisation organisation, string email, long? by = null) =>
        harness.InScopeAsync(s => s.GetRequiredService<UseCaseRunner>().RunAsync(s.GetRequiredService<InviteMember>(), null,
            new InviteMemberRequest(organisation.OrganisationId, by ?? organisation.UserId, email), CancellationToken.None));

    private static Task<Result<AcceptedInvitation>> AcceptAsync(AccountsHarness harness, AcceptInvitationRequest request) =>
        harness.InScopeAsync(s => s.GetRequiredService<UseCaseRunner>().RunAsync(s.GetRequiredService<AcceptInvitation>(), null, request, CancellationToken.None));

    private static AcceptInvitationRequest NewAccount(string token) => new()
    {
        Token = token,
        DisplayName = "刘洋",
        Password = AccountsHarness.Password,
        ConfirmPassword = AccountsHarness.Password,
    };

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task InviteThenAccept_CreatesAMemberWithTheOrganisationsRole(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        var organisation = await harness.RegisterAsync("owner@shenshi-vision.example", "vendor");

        var invitation = await InviteAsync(harness, organisation, "liu.yang@shenshi-vision.example");

        Assert.True(invitation.IsSuccess, invitation.Error?.Message);
        Assert.Equal($"/account/invitations/{invitation.Value!.Token}", invitation.Value.AcceptPath);
        Assert.Equal(harness.Clock.GetUtcNow().AddDays(7), invitation.Value.ExpiresAt);
        var stored = await new InvitationStore(harness.Database.Connections).FindByTokenAsync(invitation.Value.Token, CancellationToken.None);
        Assert.Equal("liu.yang@shenshi-vision.example", stored!.Email);
        Assert.Equal("Owner owner@shenshi-vision.example", stored.InvitedByName);

        var accepted = await AcceptAsync(harness, NewAccount(invitation.Value.Token));

        Assert.True(accepted.IsSuccess, accepted.Error?.Message);
        Assert.True(accepted.Value!.AccountCreated);
        await using var scope = harness.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var member = (await users.FindByEmailAsync("liu.yang@shenshi-vision.example"))!;
        Assert.Equal("刘洋", member.DisplayName);
        Assert.Equal([Roles.Vendor], await users.GetRolesAsync(member));
        var membership = Assert.Single(await scope.ServiceProvider.GetRequiredService<UserDirectory>().MembershipsAsync(member.Id, CancellationToken.None));
        Assert.Equal(organisation.OrganisationId, membership.OrganisationId);
        Assert.False(membership.IsOwner);
        Assert.Empty(await new InvitationStore(harness.Database.Connections).PendingAsync(organisation.OrganisationId, harness.Clock.GetUtcNow(), CancellationToken.None));

        var again = await AcceptAsync(harness, NewAccount(invitation.Value.Token));
        Assert.Equal(ErrorKind.Conflict, again.Error!.Kind);
        Assert.Equal(AcceptInvitation.AlreadyUsed, again.Error.Message);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AnExistingAccount_JoinsWithTheOrganisationsRole(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        var vendor = await harness.RegisterAsync("owner@vendor.example", "vendor");
        var enterprise = await harness.RegisterAsync("owner@factory.example", "enterprise");
        var invitation = await InviteAsync(harness, enterprise, "owner@vendor.example");

        var accepted = await AcceptAsync(harness, new AcceptInvitationRequest { Token = invitation.Value!.Token, ExistingUserId = vendor.UserId });

        Assert.True(accepted.IsSuccess, accepted.Error?.Message);
        Assert.False(accepted.Value!.AccountCreated);
        await using var scope = harness.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByEmailAsync("owner@vendor.example"))!;
        Assert.Equal([Roles.Enterprise, Roles.Vendor], await users.GetRolesAsync(user));
        Assert.Equal(2, (await scope.ServiceProvider.GetRequiredService<UserDirectory>().MembershipsAsync(user.Id, CancellationToken.None)).Count);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Invitations_ExpireAfterSevenDays_AndOnlyOwnersInvite(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        var organisation = await harness.RegisterAsync("owner@factory.example", "enterprise");
        var invitation = await InviteAsync(harness, organisation, "late@factory.example");
        var other = await harness.RegisterAsync("owner@elsewhere.example", "enterprise");

        var notOwner = await InviteAsync(harness, organisation, "someone@factory.example", by: other.UserId);
        var alreadyMember = await InviteAsync(harness, organisation, "OWNER@factory.example");
        var badEmail = await InviteAsync(harness, organisation, "no at sign");
        harness.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var late = await AcceptAsync(harness, NewAccount(invitation.Value!.Token));
        var forged = await AcceptAsync(harness, NewAccount("not-a-real-token"));

        Assert.Equal(ErrorKind.Forbidden, notOwner.Error!.Kind);
        Assert.Equal([InviteMember.AlreadyMember], alreadyMember.Error!.FieldErrors!["Email"]);
        Assert.Equal([AccountValidation.EmailInvalid], badEmail.Error!.FieldErrors!["Email"]);
        Assert.Equal(AcceptInvitation.Expired, late.Error!.Message);
        Assert.Equal(ErrorKind.NotFound, forged.Error!.Kind);
        Assert.Null(await harness.FindUserAsync("late@factory.example"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AcceptingWithABadPassword_CreatesNothing_AndTheLinkStillWorks(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        var organisation = await harness.RegisterAsync("owner@factory.example", "enterprise");
        var invitation = await InviteAsync(harness, organisation, "new@factory.example");
        var usersBefore = await harness.CountAsync("users");

        var refused = await AcceptAsync(harness, NewAccount(invitation.Value!.Token) with { Password = "password", ConfirmPassword = "password" });

        Assert.Contains(AccountValidation.PasswordNeedsDigit, refused.Error!.FieldErrors!["Password"]);
        Assert.Equal(usersBefore, await harness.CountAsync("users"));
        Assert.True((await AcceptAsync(harness, NewAccount(invitation.Value.Token))).IsSuccess);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task InvitingTheSameAddressAgain_ReplacesTheEarlierLink(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        var organisation = await harness.RegisterAsync("owner@factory.example", "enterprise");
        var first = await InviteAsync(harness, organisation, "twice@factory.example");
        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await InviteAsync(harness, organisation, "Twice@factory.example");

        var pending = await new InvitationStore(harness.Database.Connections).PendingAsync(organisation.OrganisationId, harness.Clock.GetUtcNow(), CancellationToken.None);

        Assert.Equal(second.Value!.InvitationId, Assert.Single(pending).Id);
        Assert.Equal(AcceptInvitation.Expired, (await AcceptAsync(harness, NewAccount(first.Value!.Token))).Error!.Message);
    }
}
