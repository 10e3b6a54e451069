using Marketplace.Core.Application;
using Marketplace.Core.Features.Accounts;
using Marketplace.Core.Accounts;
using Marketplace.Core.Common;
using Marketplace.Data.Accounts;
using Marketplace.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Data.Tests.Accounts;

public sealed class AddUserTests
{
    private static Task<Result<AddedUser>> AddAsync(AccountsHarness harness, AddUserRequest request) =>
        harness.InScopeAsync(s => s.GetRequiredService<UseCaseRunner>().RunAsync(s.GetRequiredService<AddUser>(), null, request, CancellationToken.None));

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AddUser_WithoutPassword_GeneratesAStrongOneThatSignsIn(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);

        var added = await AddAsync(harness, new AddUserRequest { Email = "officer@programme.example", Role = "officer" });

        Assert.True(added.IsSuccess, added.Error?.Message);
        Assert.Equal(Roles.Officer, added.Value!.Role);
        var password = added.Value.GeneratedPassword!;
        Assert.Equal(16, password.Length);
        await using var scope = harness.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByEmailAsync("officer@programme.example"))!;
        Assert.Equal("officer", user.DisplayName);
        Assert.True(await users.CheckPasswordAsync(user, password));
        Assert.Equal([Roles.Officer], await users.GetRolesAsync(user));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AddUser_ToAnOrganisation_WithAGivenPassword_FirstMemberOwnsIt(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        var organisation = await harness.RegisterAsync("owner@factory.example", "enterprise", "Factory");
        await AddAsync(harness, new AddUserRequest { Email = "admin@programme.example", Role = "Admin", Password = "Admin-pass-2026" });

        var member = await AddAsync(harness, new AddUserRequest
        {
            Email = "engineer@factory.example", Role = "Enterprise", OrganisationSlug = organisation.Slug, Password = "Given-pass-2026", DisplayName = "张工",
        });

        Assert.True(member.IsSuccess, member.Error?.Message);
        Assert.Null(member.Value!.GeneratedPassword);
        Assert.False(member.Value.IsOwner);
        var user = (await harness.FindUserAsync("engineer@factory.example"))!;
        Assert.Equal("张工", user.DisplayName);
        await using var scope = harness.Scope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().CheckPasswordAsync(user, "Given-pass-2026"));
        Assert.Equal(organisation.Slug, Assert.Single(await scope.ServiceProvider.GetRequiredService<UserDirectory>().MembershipsAsync(user.Id, CancellationToken.None)).Slug);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AddUser_WithBadArguments_NamesEachOptionAndCreatesNothing(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        var vendor = await harness.RegisterAsync("owner@vendor.example", "vendor");
        var before = await harness.CountAsync("users");

        var bad = await AddAsync(harness, new AddUserRequest { Email = "bad", Role = "President", OrganisationSlug = "no-such-org", Password = "weak" });
        var wrongKind = await AddAsync(harness, new AddUserRequest { Email = "x@factory.example", Role = "Enterprise", OrganisationSlug = vendor.Slug });
        var noOrg = await AddAsync(harness, new AddUserRequest { Email = "y@vendor.example", Role = "Vendor" });
        var taken = await AddAsync(harness, new AddUserRequest { Email = "owner@vendor.example", Role = "Reviewer" });

        var fields = bad.Error!.FieldErrors!;
        Assert.Equal([AccountValidation.EmailInvalid], fields[AddUser.EmailField]);
        Assert.Contains("Use one of: Enterprise, Vendor, Reviewer, Officer, Admin", fields[AddUser.RoleField][0], StringComparison.Ordinal);
        Assert.Contains("no-such-org", fields[AddUser.OrganisationField][0], StringComparison.Ordinal);
        Assert.Contains(AccountValidation.PasswordTooShort, fields[AddUser.PasswordField]);
        Assert.Contains("vendor organisation", wrongKind.Error!.FieldErrors![AddUser.OrganisationField][0], StringComparison.Ordinal);
        Assert.True(noOrg.Error!.FieldErrors!.ContainsKey(AddUser.OrganisationField));
        Assert.Equal([AccountValidation.EmailTaken], taken.Error!.FieldErrors![AddUser.EmailField]);
        Assert.Equal(before, await harness.CountAsync("users"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task UserDirectory_PagesUsersWithRolesAndOrganisations(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        var organisation = await harness.RegisterAsync("owner@vendor.example", "vendor", "Vision Co");
        for (var i = 0; i < 4; i++)
        {
            await AddAsync(harness, new AddUserRequest { Email = $"reviewer{i}@programme.example", Role = "Reviewer", Password = AccountsHarness.Password });
        }

        var directory = new UserDirectory(harness.Database.Connections);
        var first = await directory.ListAsync(new PageRequest(1, 2), CancellationToken.None);
        var last = await directory.ListAsync(new PageRequest(3, 2), CancellationToken.None);

        Assert.Equal(5, first.Total);
        Assert.Equal(3, first.PageCount);
        var owner = first.Items[0];
        Assert.Equal("owner@vendor.example", owner.Email);
        Assert.Equal([Roles.Vendor], owner.Roles);
        Assert.Equal("Vision Co", Assert.Single(owner.Organisations).Name);
        Assert.True(owner.Organisations[0].IsOwner);
        Assert.Equal("reviewer3@programme.example", Assert.Single(last.Items).Email);
        Assert.Equal([Roles.Reviewer], last.Items[0].Roles);
        Assert.Empty(last.Items[0].Organisations);
        Assert.Equal(organisation.OrganisationId, owner.Organisations[0].OrganisationId);
    }
}
