using Marketplace.Core.Application;
using Marketplace.Core.Features.Accounts;
using Marketplace.Core.Accounts;
using Marketplace.Core.Common;
using Marketplace.Data.Accounts;
using Marketplace.Data.Organisations;
using Marketplace.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Data.Tests.Accounts;

public sealed class RegisterOrganisationTests
{
    private static Task<Result<RegisteredOrganisation>> RegisterAsync(AccountsHarness harness, RegisterOrganisationRequest request) =>
        harness.InScopeAsync(s => s.GetRequiredService<UseCaseRunner>().RunAsync(s.GetRequiredService<RegisterOrganisation>(), null, request, CancellationToken.None));

    private static RegisterOrganisationRequest Valid(string email = "wang.jianguo@hengtai-steel.example") => new()
    {
        Kind = "enterprise",
        OrganisationName = "河北恒泰钢铁集团有限公司",
        OrganisationNameEn = "Hebei Hengtai Steel Group",
        DisplayName = "王建国",
        Email = email,
        Password = AccountsHarness.Password,
        ConfirmPassword = AccountsHarness.Password,
        PreferredLanguage = "zh-CN",
    };

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task RegisterOrganisation_CreatesTheOrganisationAndItsOwnerWithTheRole(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);

        var result = await RegisterAsync(harness, Valid());

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("hebei-hengtai-steel-group", result.Value!.Slug);
        Assert.Equal(Roles.Enterprise, result.Value.Role);
        await using var scope = harness.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByEmailAsync("wang.jianguo@hengtai-steel.example"))!;
        Assert.Equal("王建国", user.DisplayName);
        Assert.True(await users.CheckPasswordAsync(user, AccountsHarness.Password));
        Assert.Equal([Roles.Enterprise], await users.GetRolesAsync(user));
        var memberships = await scope.ServiceProvider.GetRequiredService<UserDirectory>().MembershipsAsync(user.Id, CancellationToken.None);
        var membership = Assert.Single(memberships);
        Assert.True(membership.IsOwner);
        Assert.Equal("河北恒泰钢铁集团有限公司", membership.Name);
        Assert.Equal(Core.Organisations.OrganisationKind.Enterprise, membership.Kind);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task RegisterOrganisation_WithBadInput_ReportsEveryFieldAndCreatesNothing(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);

        var result = await RegisterAsync(harness, new RegisterOrganisationRequest
        {
            Kind = "programme_office",
            OrganisationName = " ",
            DisplayName = "",
            Email = "not-an-email",
            Password = "short",
            ConfirmPassword = "different",
        });

        Assert.False(result.IsSuccess);
        var fields = result.Error!.FieldErrors!;
        Assert.Equal([RegisterOrganisation.KindRequired], fields["Kind"]);
        Assert.Equal([RegisterOrganisation.OrganisationNameRequired], fields["OrganisationName"]);
        Assert.Equal([AccountValidation.DisplayNameRequired], fields["DisplayName"]);
        Assert.Equal([AccountValidation.EmailInvalid], fields["Email"]);
        Assert.Contains(AccountValidation.PasswordTooShort, fields["Password"]);
        Assert.Contains(AccountValidation.PasswordNeedsDigit, fields["Password"]);
        Assert.Equal([AccountValidation.PasswordsDiffer], fields["ConfirmPassword"]);
        Assert.Equal(0, await harness.CountAsync("users"));
        Assert.Equal(0, await harness.CountAsync("organisations"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task RegisterOrganisation_WithATakenEmailOrName_IsRefusedBesideTheField(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        await RegisterAsync(harness, Valid());

        var sameEmail = await RegisterAsync(harness, Valid("WANG.JIANGUO@hengtai-steel.example") with { OrganisationName = "Another Steel Co", OrganisationNameEn = null });
        var sameName = await RegisterAsync(harness, Valid("li.na@hengtai-steel.example"));

        Assert.Equal([AccountValidation.EmailTaken], sameEmail.Error!.FieldErrors!["Email"]);
        Assert.Equal([RegisterOrganisation.OrganisationNameTaken], sameName.Error!.FieldErrors!["OrganisationName"]);
        Assert.Equal(1, await harness.CountAsync("users"));
        Assert.Equal(1, await harness.CountAsync("organisations"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task RegisterOrganisation_WhenIdentityRefusesInsideTheTransaction_LeavesNothingBehind(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);

        // A valid address whose "!" Identity does not allow in a user name: the organisation row is written
        // first, then UserManager.CreateAsync refuses, and the transaction must take the organisation back.
        var result = await RegisterAsync(harness, Valid("wang!jianguo@hengtai-steel.example"));

        Assert.False(result.IsSuccess);
        Assert.Equal([AccountValidation.EmailInvalid], result.Error!.FieldErrors!["Email"]);
        Assert.Equal(0, await harness.CountAsync("organisations"));
        Assert.Equal(0, await harness.CountAsync("users"));
        Assert.Equal(0, await harness.CountAsync("memberships"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task RegisterOrganisation_GivesEachOrganisationItsOwnSlug(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);

        var first = await harness.RegisterAsync("a@vision-one.example", "vendor", "Deep Vision");
        var second = await RegisterAsync(harness, Valid("b@vision-two.example") with { Kind = "vendor", OrganisationName = "深度视觉科技有限公司", OrganisationNameEn = "Deep Vision" });
        var chineseOnly = await RegisterAsync(harness, Valid("c@example.cn") with { Kind = "vendor", OrganisationName = "苏州智造科技有限公司", OrganisationNameEn = null });

        Assert.Equal("deep-vision", first.Slug);
        Assert.Equal("deep-vision-2", second.Value!.Slug);
        Assert.Matches("^vendor-[a-z0-9]{6}$", chineseOnly.Value!.Slug);
        var organisation = await new OrganisationStore(harness.Database.Connections, harness.Clock).FindBySlugAsync("deep-vision-2", CancellationToken.None);
        Assert.Equal("深度视觉科技有限公司", organisation!.Name);
    }

    [Fact]
    public void Slugs_AreLowerCaseAsciiWordsJoinedByHyphens()
    {
        Assert.Equal("hebei-hengtai-steel-group", Slugs.FromName("Hebei Hengtai Steel Group"));
        Assert.Equal("sao-paulo-a-i-ltda", Slugs.FromName("  São Paulo A.I. Ltda. "));
        Assert.Equal("", Slugs.FromName("深视智能科技"));
        Assert.True(Slugs.FromName(new string('x', 40) + " " + new string('y', 40)).Length <= Slugs.MaxLength);
    }
}
