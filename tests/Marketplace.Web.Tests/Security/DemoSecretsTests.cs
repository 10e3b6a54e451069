using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// The demo accounts and their password exist only when the demo seed is on, the password comes from configuration
/// (or is random), and no password is written in the code (issue #12).
/// </summary>
public sealed class DemoSecretsTests
{
    private sealed class SeedFactory(string? environment, bool seed, string? password) : MarketplaceFactory
    {
        protected override bool SeedTestData => seed;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            if (environment is not null)
            {
                builder.UseEnvironment(environment);
            }

            builder.UseSetting("Marketplace:DemoPassword", password);
        }
    }

    private static async Task<(int Users, HttpStatusCode WithTestPassword, HttpStatusCode WithOldDefault)> ProbeAsync(SeedFactory factory)
    {
        await factory.InitializeAsync();
        using var client = factory.CreateClient();
        using var test = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "vendor@test.example", password = MarketplaceFactory.TestPassword });
        using var old = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "vendor@test.example", password = "Marketplace#2026" });
        await using var connection = await factory.Database.Connections.OpenAsync();
        return (await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users"), test.StatusCode, old.StatusCode);
    }

    [Fact]
    public async Task WithoutTheDemoSeed_ThereAreNoAccounts()
    {
        await using var factory = new SeedFactory(null, seed: false, MarketplaceFactory.TestPassword);
        Assert.Equal((0, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), await ProbeAsync(factory));
    }

    [Fact]
    public async Task UnderProduction_TheDemoSeedIsIgnored()
    {
        await using var factory = new SeedFactory("Production", seed: true, MarketplaceFactory.TestPassword);
        Assert.Equal((0, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), await ProbeAsync(factory));
    }

    [Fact]
    public async Task WithTheSeed_ThePasswordIsTheConfiguredOne()
    {
        await using var factory = new SeedFactory(null, seed: true, MarketplaceFactory.TestPassword);
        var (users, withTest, withOld) = await ProbeAsync(factory);
        Assert.True(users > 0);
        Assert.Equal(HttpStatusCode.OK, withTest);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld);
    }

    [Fact]
    public async Task WithTheSeed_AndNoPasswordConfigured_ThePasswordIsRandom_NotOneFromTheCode()
    {
        await using var factory = new SeedFactory(null, seed: true, password: "");
        var (users, withTest, withOld) = await ProbeAsync(factory);
        Assert.True(users > 0);
        Assert.Equal(HttpStatusCode.Unauthorized, withTest);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld);
    }

    [Fact]
    public void NoPasswordIsWrittenInTheCode()
    {
        var src = Path.Combine(MarketplaceFactory.RepositoryRoot, "src");
        var offenders = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("Marketplace#2026", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(offenders);
    }
}
