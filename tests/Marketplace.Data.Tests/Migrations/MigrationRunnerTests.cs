using Dapper;
using Marketplace.Data;
using Marketplace.Data.Migrations;
using Marketplace.Testing;

namespace Marketplace.Data.Tests.Migrations;

public sealed class MigrationRunnerTests
{
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Migrate_OnEmptyDatabase_AppliesEveryScriptAndJournalsIt(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        var runner = new MigrationRunner(database.Connections, TimeProvider.System);

        var report = await runner.MigrateAsync();

        Assert.Equal(runner.KnownMigrations.Select(m => m.Version), report.Applied.Select(m => m.Version));
        Assert.Equal(0, report.AlreadyApplied);
        await using var connection = await database.Connections.OpenAsync();
        var journal = await MigrationRunner.ReadJournalAsync(connection, CancellationToken.None);
        Assert.Equal(runner.KnownMigrations.Select(m => (m.Version, m.Checksum)), journal.Select(j => (j.Version, j.Checksum)));
        Assert.Equal(5, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM roles"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Migrate_Twice_AppliesNothingTheSecondTime(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);

        var report = await new MigrationRunner(database.Connections, TimeProvider.System).MigrateAsync();

        Assert.Empty(report.Applied);
        Assert.True(report.AlreadyApplied >= 4);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Migrate_WhenDatabaseHasUnknownMigration_RefusesWithClearMessage(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using (var connection = await database.Connections.OpenAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (9999, 'from_the_future', 'abc', @Now)",
                new { Now = DateTimeOffset.UtcNow });
        }

        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(database.Connections, TimeProvider.System).MigrateAsync());

        Assert.Contains("9999_from_the_future", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not know", error.Message, StringComparison.Ordinal);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Migrate_WhenAnAppliedScriptWasEdited_RefusesWithClearMessage(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using (var connection = await database.Connections.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE schema_migrations SET checksum = 'deadbeefdeadbeefdeadbeef' WHERE version = 2");
        }

        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(database.Connections, TimeProvider.System).MigrateAsync());

        Assert.Contains("0002_", error.Message, StringComparison.Ordinal);
        Assert.Contains("changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Migrate_WhenAScriptFails_RollsItBackAndJournalsNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        var good = MigrationScript.FromFile("0001_good.sql", "CREATE TABLE good_table (id INT PRIMARY KEY)");
        var bad = MigrationScript.FromFile("0002_half_broken.sql", "CREATE TABLE half_table (id INT PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);");
        var runner = new MigrationRunner(database.Connections, TimeProvider.System, [good, bad]);

        var error = await Assert.ThrowsAsync<MigrationException>(() => runner.MigrateAsync());

        Assert.Contains("0002_half_broken.sql", error.Message, StringComparison.Ordinal);
        await using var connection = await database.Connections.OpenAsync();
        var journal = await MigrationRunner.ReadJournalAsync(connection, CancellationToken.None);
        Assert.Equal([1], journal.Select(j => j.Version));
        Assert.DoesNotContain("half_table", await SchemaReader.TablesAsync(database.Connections));
        Assert.Contains("good_table", await SchemaReader.TablesAsync(database.Connections));
    }

    [Fact]
    public void ScriptNames_MustFollowTheConvention()
    {
        Assert.Throws<MigrationException>(() => MigrationScript.FromFile("1_create.sql", "SELECT 1"));
        Assert.Throws<MigrationException>(() => MigrationScript.FromFile("0001-Create Things.sql", "SELECT 1"));
        Assert.Equal(12, MigrationScript.FromFile("0012_add_things.sql", "SELECT 1").Version);
    }

    [Fact]
    public void Checksum_IgnoresLineEndingStyle()
    {
        Assert.Equal(MigrationScript.ComputeChecksum("A\nB\n"), MigrationScript.ComputeChecksum("A\r\nB\r\n"));
        Assert.NotEqual(MigrationScript.ComputeChecksum("A\nB\n"), MigrationScript.ComputeChecksum("A\nC\n"));
    }
}
