using Marketplace.Core.Application;
using Marketplace.Core.Features.Accounts;
using Marketplace.Core.Accounts;
using Marketplace.Data;
using Marketplace.Data.Accounts;
using Marketplace.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Data.Tests.Accounts;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>
/// A fresh database on one engine with the account services wired as the application wires them
/// (AddMarketplaceAccounts), and a clock the test controls.
/// </summary>
public sealed class AccountsHarness : IAsyncDisposable
{
    public const string Password = "Strong-pass-2026";

    private readonly ServiceProvider _services;

    private AccountsHarness(TestDatabase database, ServiceProvider services, ManualClock clock)
    {
        Database = database;
        _services = services;
        Clock = clock;
    }

    public TestDatabase Database { get; }

    public ManualClock Clock { get; }

    public static async Task<AccountsHarness> CreateAsync(string engine)
    {
        var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 2, 1, 30, 0, TimeSpan.Zero));
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(database.Connections)
            .AddSingleton<TimeProvider>(clock)
            .AddMarketplaceAccounts()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        return new AccountsHarness(database, services, clock);
    }

    /// <summary>A new scope, as one request or one CLI command has.</summary>
    public AsyncServiceScope Scope() => _services.CreateAsyncScope();

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Scope();
        return await work(scope.ServiceProvider);
    }

    public async Task<RegisteredOrganisation> RegisterAsync(string email, string kind = "vendor", string? name = null)
    {
        var result = await InScopeAsync(s => s.GetRequiredService<UseCaseRunner>().RunAsync(s.GetRequiredService<RegisterOrganisation>(), null, new RegisterOrganisationRequest
        {
            Kind = kind,
            OrganisationName = name ?? "Organisation of " + email,
            DisplayName = "Owner " + email,
            Email = email,
            Password = Password,
            ConfirmPassword = Password,
        }, CancellationToken.None));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value!;
    }

    public Task<AppUser?> FindUserAsync(string email) =>
        InScopeAsync(s => s.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email));

    public async Task<long> CountAsync(string table)
    {
        await using var connection = await Database.Connections.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, $"SELECT COUNT(*) FROM {table}");
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
