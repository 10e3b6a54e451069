using Marketplace.Core.Accounts;
using Marketplace.Data.Identity;
using Marketplace.Data.Tests.Accounts;
using Marketplace.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Data.Tests.Identity;

public sealed class DapperUserStoreTests
{
    private static AppUser NewUser(string email, string name = "李明") => new()
    {
        UserName = email,
        NormalizedUserName = email.ToUpperInvariant(),
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        DisplayName = name,
        PreferredLanguage = "en",
    };

    private static DapperUserStore Store(AccountsHarness harness) =>
        new(new IdentityUnitOfWork(harness.Database.Connections), harness.Clock, new IdentityErrorDescriber());

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task CreatedUser_IsFoundByIdNameAndEmail_WithEveryField(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        using var store = Store(harness);
        var user = NewUser("chen.xiao@shenshi-vision.example", "陈晓");
        user.EmailConfirmed = true;
        user.PasswordHash = "hash";
        user.AccessFailedCount = 2;
        user.LockoutEnd = new DateTimeOffset(2026, 5, 1, 8, 15, 30, TimeSpan.Zero);

        var created = await store.CreateAsync(user, CancellationToken.None);

        Assert.True(created.Succeeded);
        Assert.True(user.Id > 0);
        var byId = await store.FindByIdAsync(user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        var byName = await store.FindByNameAsync("CHEN.XIAO@SHENSHI-VISION.EXAMPLE", CancellationToken.None);
        var byEmail = await store.FindByEmailAsync("CHEN.XIAO@SHENSHI-VISION.EXAMPLE", CancellationToken.None);
        foreach (var found in new[] { byId, byName, byEmail })
        {
            Assert.NotNull(found);
            Assert.Equal(user.Id, found.Id);
            Assert.Equal("陈晓", found.DisplayName);
            Assert.Equal("en", found.PreferredLanguage);
            Assert.True(found.EmailConfirmed);
            Assert.True(found.LockoutEnabled);
            Assert.Equal("hash", found.PasswordHash);
            Assert.Equal(2, found.AccessFailedCount);
            Assert.Equal(user.LockoutEnd, found.LockoutEnd);
            Assert.Equal(user.SecurityStamp, found.SecurityStamp);
            Assert.Equal(user.ConcurrencyStamp, found.ConcurrencyStamp);
            Assert.Equal(harness.Clock.GetUtcNow(), found.CreatedAt);
        }

        Assert.Null(await store.FindByIdAsync("not-a-number", CancellationToken.None));
        Assert.Null(await store.FindByEmailAsync("NOBODY@EXAMPLE.CN", CancellationToken.None));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Update_WithStaleConcurrencyStamp_FailsAndKeepsTheFirstWrite(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        using var store = Store(harness);
        var user = NewUser("wang.jianguo@hengtai-steel.example");
        await store.CreateAsync(user, CancellationToken.None);
        var id = user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var first = (await store.FindByIdAsync(id, CancellationToken.None))!;
        var second = (await store.FindByIdAsync(id, CancellationToken.None))!;

        first.DisplayName = "王建国";
        var firstResult = await store.UpdateAsync(first, CancellationToken.None);
        second.DisplayName = "Someone else";
        var secondResult = await store.UpdateAsync(second, CancellationToken.None);

        Assert.True(firstResult.Succeeded);
        Assert.NotEqual(user.ConcurrencyStamp, first.ConcurrencyStamp);
        Assert.False(secondResult.Succeeded);
        Assert.Equal(nameof(IdentityErrorDescriber.ConcurrencyFailure), Assert.Single(secondResult.Errors).Code);
        Assert.Equal("王建国", (await store.FindByIdAsync(id, CancellationToken.None))!.DisplayName);

        // With the current stamp the update goes through again.
        first.DisplayName = "王建国 (厂长)";
        Assert.True((await store.UpdateAsync(first, CancellationToken.None)).Succeeded);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task UserManager_StoresAHashedPassword_AndChecksIt(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        await using var scope = harness.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = "zhao.lei@example.cn", Email = "zhao.lei@example.cn", DisplayName = "赵磊" };

        var created = await users.CreateAsync(user, AccountsHarness.Password);

        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        var reloaded = (await users.FindByEmailAsync("Zhao.Lei@example.cn"))!;
        Assert.NotEqual(AccountsHarness.Password, reloaded.PasswordHash);
        Assert.True(await users.CheckPasswordAsync(reloaded, AccountsHarness.Password));
        Assert.False(await users.CheckPasswordAsync(reloaded, "Wrong-pass-2026"));

        var changed = await users.ChangePasswordAsync(reloaded, AccountsHarness.Password, "Another-pass-99");
        Assert.True(changed.Succeeded);
        Assert.True(await users.CheckPasswordAsync((await users.FindByEmailAsync("zhao.lei@example.cn"))!, "Another-pass-99"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task FiveFailedAttempts_LockTheAccountForFifteenMinutes_AndTheCountersPersist(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        await using var scope = harness.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = "lockout@example.cn", Email = "lockout@example.cn", DisplayName = "Lockout" };
        await users.CreateAsync(user, AccountsHarness.Password);
        Assert.True(user.LockoutEnabled);

        for (var i = 0; i < 4; i++)
        {
            await users.AccessFailedAsync(user);
        }

        var afterFour = (await users.FindByEmailAsync("lockout@example.cn"))!;
        Assert.Equal(4, afterFour.AccessFailedCount);
        Assert.False(await users.IsLockedOutAsync(afterFour));

        // UserManager stamps the lockout with the system clock, not an injected TimeProvider.
        var before = DateTimeOffset.UtcNow;
        await users.AccessFailedAsync(afterFour);
        var after = DateTimeOffset.UtcNow;

        var locked = (await users.FindByEmailAsync("lockout@example.cn"))!;
        Assert.True(await users.IsLockedOutAsync(locked));
        Assert.Equal(0, locked.AccessFailedCount);
        Assert.InRange(locked.LockoutEnd!.Value, before.AddMinutes(15).AddMilliseconds(-1), after.AddMinutes(15).AddMilliseconds(1));

        // A successful sign-in resets the counter; lockout can be lifted by an administrator.
        Assert.True((await users.SetLockoutEndDateAsync(locked, null)).Succeeded);
        Assert.False(await users.IsLockedOutAsync((await users.FindByEmailAsync("lockout@example.cn"))!));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Roles_AreAddedListedCheckedAndRemoved(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        await using var scope = harness.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = "officer@example.cn", Email = "officer@example.cn", DisplayName = "Officer" };
        await users.CreateAsync(user, AccountsHarness.Password);

        Assert.True((await users.AddToRoleAsync(user, Roles.Officer)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, "reviewer")).Succeeded);
        Assert.False((await users.AddToRoleAsync(user, Roles.Officer)).Succeeded);

        Assert.Equal([Roles.Reviewer, Roles.Officer], await users.GetRolesAsync(user));
        Assert.True(await users.IsInRoleAsync(user, Roles.Officer));
        Assert.False(await users.IsInRoleAsync(user, Roles.Admin));
        Assert.Equal(user.Id, Assert.Single(await users.GetUsersInRoleAsync(Roles.Officer)).Id);

        Assert.True((await users.RemoveFromRoleAsync(user, Roles.Reviewer)).Succeeded);
        Assert.Equal([Roles.Officer], await users.GetRolesAsync(user));

        using var store = Store(harness);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddToRoleAsync(user, "PRESIDENT", CancellationToken.None));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task EmailAddresses_AreUniqueWhateverTheirCase(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        await using var scope = harness.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        await users.CreateAsync(new AppUser { UserName = "same@example.cn", Email = "same@example.cn", DisplayName = "One" }, AccountsHarness.Password);

        var second = await users.CreateAsync(new AppUser { UserName = "SAME@example.cn", Email = "SAME@example.cn", DisplayName = "Two" }, AccountsHarness.Password);

        Assert.False(second.Succeeded);
        Assert.Contains(second.Errors, e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName));

        // The unique index is the last line of defence when two requests race past UserManager's check.
        using var store = Store(harness);
        var raced = await store.CreateAsync(NewUser("same@example.cn"), CancellationToken.None);
        Assert.Equal(nameof(IdentityErrorDescriber.DuplicateEmail), Assert.Single(raced.Errors).Code);
        Assert.Equal(1, await harness.CountAsync("users"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Delete_RemovesTheUserWithTheirRoles(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        await using var scope = harness.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = "leaving@example.cn", Email = "leaving@example.cn", DisplayName = "Leaving" };
        await users.CreateAsync(user, AccountsHarness.Password);
        await users.AddToRoleAsync(user, Roles.Reviewer);

        Assert.True((await users.DeleteAsync(user)).Succeeded);

        Assert.Null(await users.FindByEmailAsync("leaving@example.cn"));
        Assert.Equal(0, await harness.CountAsync("user_roles"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task RoleManager_FindsTheFiveFixedRoles_AndRefusesToChangeThem(string engine)
    {
        await using var harness = await AccountsHarness.CreateAsync(engine);
        await using var scope = harness.Scope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<AppRole>>();

        foreach (var name in Roles.All)
        {
            Assert.True(await roles.RoleExistsAsync(name));
            Assert.Equal(name, (await roles.FindByNameAsync(name.ToLowerInvariant()))!.Name);
        }

        Assert.Equal(Roles.Admin, (await roles.FindByIdAsync("5"))!.Name);
        Assert.False(await roles.RoleExistsAsync("President"));
        Assert.False((await roles.CreateAsync(new AppRole { Name = "President" })).Succeeded);
    }
}
