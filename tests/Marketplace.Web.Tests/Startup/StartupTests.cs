using Dapper;
using Marketplace.Data.Migrations;
using Marketplace.Testing;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Startup;

public sealed class StartupTests
{
    [Fact]
    public async Task App_RefusesToStart_OnADatabaseWithAMigrationItDoesNotKnow()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        await new MigrationRunner(factory.Database.Connections, TimeProvider.System).MigrateAsync();
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (4242, 'from_a_newer_build', 'x', '2030-01-01T00:00:00Z')");
        }

        var error = Assert.Throws<MigrationException>(() => factory.CreateClient());

        Assert.Contains("4242_from_a_newer_build", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Layout_StillRenders_WhenTheNotificationQueryFails()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();
        var client = await factory.SignedInBrowserAsync("vendor@test.example");
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            await connection.ExecuteAsync("DROP TABLE notifications");
        }

        var response = await client.GetAsync("/vendors");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"notification-bell\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task App_OnAnEmptyDatabase_MigratesAndSeedsTheTestData()
    {
        await using var factory = new MarketplaceFactory();
        await factory.InitializeAsync();

        var client = factory.CreateBrowserClient();
        var html = await client.GetHtmlAsync("/challenges");

        Assert.Contains("4 challenges", html, StringComparison.Ordinal);
        await using var connection = await factory.Database.Connections.OpenAsync();
        // Seven people plus the second and third test reviewers (review and award tests).
        Assert.Equal(9, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users"));
    }
}
