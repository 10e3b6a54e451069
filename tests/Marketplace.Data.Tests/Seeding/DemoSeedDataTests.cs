using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Data.Accounts;
using Marketplace.Data.Challenges;
using Marketplace.Data.Organisations;
using Marketplace.Data.Seeding;
using Marketplace.Data.Vendors;
using Marketplace.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Data.Tests.Seeding;

/// <summary>The demo data meets the foundation issue's floors, and loads (once) on every engine.</summary>
public sealed class DemoSeedDataTests
{
    private static readonly string DemoFolder = Path.Combine(TestPaths.RepositoryRoot, "seeds", "demo");
    private static readonly Lazy<DemoSeedData> Demo = new(() => DemoSeedData.Load(DemoFolder));

    [Fact]
    public void Demo_HasAtLeast40Challenges_HalfInChinese_AcrossEveryIndustry()
    {
        var challenges = Demo.Value.Challenges;

        Assert.True(challenges.Count >= 40, $"{challenges.Count} challenges");
        Assert.True(challenges.Count(c => c.Language == "zh") * 2 >= challenges.Count, "at least half in Chinese");
        Assert.Contains(challenges, c => c.Language == "en");
        Assert.Equal(Industries.All.Select(i => i.Slug).Order(), challenges.Select(c => c.Industry).Distinct().Order());
        Assert.Contains(challenges, c => c.Visibility == "confidential");
        Assert.Contains(challenges, c => c.Status == "closed" && c.DeadlineInDays < 0);
        Assert.All(challenges.Where(c => c.Status == "published"), c => Assert.True(c.DeadlineInDays > 0, c.Key));
        Assert.All(challenges, c => Assert.NotEmpty(c.AcceptanceTargets ?? []));
        Assert.All(challenges, c => Assert.All(c.Tags ?? [], tag => Assert.True(Tags.Find(tag) is not null, $"{c.Key}: unknown tag {tag}")));
    }

    [Fact]
    public void Demo_HasAtLeast80Vendors_EachWith2To5PortfolioCases()
    {
        var vendors = Demo.Value.Vendors;

        Assert.True(vendors.Count >= 80, $"{vendors.Count} vendors");
        Assert.All(vendors, v => Assert.InRange(v.Cases?.Count ?? 0, 2, 5));
        Assert.Contains(vendors, v => v.Language == "zh");
        Assert.Contains(vendors, v => v.Language == "en");
        Assert.All(vendors, v => Assert.All(v.Capabilities ?? [], tag => Assert.True(Tags.Find(tag) is not null, $"{v.Key}: unknown capability {tag}")));
        Assert.All(vendors, v => Assert.All(v.Industries ?? [], i => Assert.True(Industries.IsKnown(i), $"{v.Key}: unknown industry {i}")));
    }

    [Fact]
    public void Demo_HasAProgrammeOfficeWithAnOfficerAndReviewers()
    {
        var programme = Demo.Value.Programme;

        Assert.NotEmpty(programme.Officers);
        Assert.True(programme.Reviewers.Count >= 3);
        Assert.NotEmpty(programme.Admins);
    }

    [Fact]
    public void Demo_EmailAddressesAreUniqueAndUseTheReservedDomain()
    {
        var data = Demo.Value;
        var emails = data.Enterprises.Select(e => e.Contact.Email)
            .Concat(data.Vendors.Select(v => v.Contact.Email))
            .Concat(data.Programme.Officers.Select(o => o.Email))
            .Concat(data.Programme.Reviewers.Select(r => r.Email))
            .Concat(data.Programme.Admins.Select(a => a.Email))
            .Select(e => e.ToLowerInvariant())
            .ToList();

        Assert.Equal(emails.Count, emails.Distinct().Count());
        Assert.All(emails, e => Assert.EndsWith(".example", e, StringComparison.Ordinal));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task SeedingTheDemoTwice_LoadsEverythingOnce(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var services = Services(database);

        var first = await SeedAsync(services);
        var counts = await CountsAsync(database);
        var second = await SeedAsync(services);

        Assert.True(first.Seeded);
        Assert.False(second.Seeded);
        Assert.Equal(counts, await CountsAsync(database));
        Assert.Equal(Demo.Value.Challenges.Count, counts.Challenges);
        // Plus one case per story chapter whose enterprise consents to publishing the completed project.
        Assert.Equal(Demo.Value.Vendors.Sum(v => v.Cases!.Count) + Demo.Value.Story!.Chapters.Count(c => c.Portfolio is not null), counts.Cases);
        Assert.Equal(1 + Demo.Value.Enterprises.Count + Demo.Value.Vendors.Count, counts.Organisations);
    }

    private static async Task<SeedResult> SeedAsync(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(Demo.Value, "Demo-Password-123!");
    }

    private static ServiceProvider Services(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(database.Connections);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OrganisationStore>();
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<VendorStore>();
        services.AddScoped<DemoSeeder>();
        services.AddMarketplaceAccounts();

        // Hashing 120 demo passwords at production strength would only slow the test down.
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = 1_000);
        return services.BuildServiceProvider();
    }

    private static async Task<(int Organisations, int Users, int Challenges, int Cases)> CountsAsync(TestDatabase database)
    {
        await using var connection = await database.Connections.OpenAsync();
        return (
            await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM organisations"),
            await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users"),
            await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM challenges"),
            await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM portfolio_cases"));
    }
}
