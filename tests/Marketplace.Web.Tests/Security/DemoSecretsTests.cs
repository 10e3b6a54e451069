using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

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

    /// <summary>The app as started with only its own appsettings files for the environment (as `dotnet run` or a deployment).</summary>
    private sealed class AppSettingsFactory(string environment) : MarketplaceFactory
    {
        protected override bool DemoSeedFromAppSettings => true;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(environment);
        }
    }

    private const string DevelopmentDemoPassword = "Marketplace#2026";

    private static IConfigurationRoot AppSettings(params string[] files)
    {
        var folder = Path.Combine(MarketplaceFactory.RepositoryRoot, "src", "Marketplace.Web");
        var builder = new ConfigurationBuilder().SetBasePath(folder);
        foreach (var file in files)
        {
            builder.AddJsonFile(file, optional: false);
        }

        return builder.Build();
    }

    [Fact]
    public void TheDemoSeedAndPassword_AreInTheDevelopmentSettingsOnly()
    {
        var shared = AppSettings("appsettings.json");
        Assert.Null(shared["Seed:Demo"]);
        Assert.Null(shared["Marketplace:DemoPassword"]);
        Assert.DoesNotContain("Marketplace#2026", File.ReadAllText(Path.Combine(MarketplaceFactory.RepositoryRoot, "src", "Marketplace.Web", "appsettings.json")), StringComparison.Ordinal);

        var production = AppSettings("appsettings.json", "appsettings.Production.json");
        Assert.False(production.GetValue("Seed:Demo", false));
        Assert.Null(production["Marketplace:DemoPassword"]);

        var development = AppSettings("appsettings.json", "appsettings.Development.json");
        Assert.True(development.GetValue("Seed:Demo", false));
        Assert.Equal(DevelopmentDemoPassword, development["Marketplace:DemoPassword"]);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task OutsideDevelopment_TheAppSettingsCreateNoAccounts(string environment)
    {
        await using var factory = new AppSettingsFactory(environment);
        await factory.InitializeAsync();
        using var client = factory.CreateClient();
        using var demo = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "vendor@test.example", password = DevelopmentDemoPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);
        await using var connection = await factory.Database.Connections.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public async Task UnderDevelopment_TheAppSettingsSeedTheDemo_WithTheDevelopmentPassword()
    {
        await using var factory = new AppSettingsFactory("Development");
        await factory.InitializeAsync();
        using var client = factory.CreateClient();
        using var demo = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "vendor@test.example", password = DevelopmentDemoPassword });
        Assert.Equal(HttpStatusCode.OK, demo.StatusCode);
        await using var connection = await factory.Database.Connections.OpenAsync();
        Assert.True(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users") > 0);
    }

    [Theory]
    [InlineData("Development", false)]
    [InlineData("Production", true)]
    [InlineData("Staging", true)]
    public async Task Hsts_IsSentOverHttps_OutsideDevelopmentOnly(string environment, bool expected)
    {
        await using var factory = new AppSettingsFactory(environment);
        await factory.InitializeAsync();
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://marketplace.example") });
        using var page = await client.GetAsync("/account/signin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(expected, page.Headers.Contains("Strict-Transport-Security"));
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
