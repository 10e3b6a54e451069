using Marketplace.Data;
using Marketplace.Data.Migrations;
using Marketplace.Testing;

namespace Marketplace.Data.Tests.Migrations;

/// <summary>Every dialect has the same migrations, and they build the same tables and columns.</summary>
public sealed class DialectParityTests
{
    [Fact]
    public void EveryMigrationNumber_ExistsInAllThreeDialects_WithTheSameName()
    {
        var sqlite = MigrationScript.LoadEmbedded(SqlDialect.Sqlite).Select(s => s.FileName).ToList();
        var postgres = MigrationScript.LoadEmbedded(SqlDialect.Postgres).Select(s => s.FileName).ToList();
        var sqlServer = MigrationScript.LoadEmbedded(SqlDialect.SqlServer).Select(s => s.FileName).ToList();

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, postgres);
        Assert.Equal(sqlite, sqlServer);
    }

    [Fact]
    public void MigrationNumbers_AreContiguousFromOne()
    {
        var versions = MigrationScript.LoadEmbedded(SqlDialect.Sqlite).Select(s => s.Version).ToList();
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }

    [Theory, OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task MigratedSchema_MatchesSqlite_TableForTableAndColumnForColumn(string engine)
    {
        await using var reference = await TestDatabase.CreateAsync(TestEngines.Sqlite);
        await using var other = await TestDatabase.CreateAsync(engine);

        var expected = await SchemaReader.ColumnsAsync(reference.Connections);
        var actual = await SchemaReader.ColumnsAsync(other.Connections);

        Assert.Equal(expected, actual);
    }
}
