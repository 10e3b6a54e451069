using Dapper;
using Marketplace.Core.Application;
using Marketplace.Data.Application;
using Marketplace.Data.Audit;
using Marketplace.Testing;

namespace Marketplace.Cli.Tests.Audit;

/// <summary>`marketplace audit verify`: exit 0 on an intact chain, 1 naming the first entry edited behind the app's back.</summary>
public sealed class AuditCommandsTests
{
    [Fact]
    public async Task Verify_IntactChain_ExitsZero_ThenAfterARawEdit_ExitsOne_NamingTheEntry()
    {
        await using var database = await TestDatabase.CreateAsync(TestEngines.Sqlite);
        var log = new AuditLog(database.Connections);
        var at = new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
        await using (var work = await new DbUnitOfWorkFactory(database.Connections).BeginAsync(CancellationToken.None))
        {
            await log.AppendAsync(work, [.. Enumerable.Range(1, 4).Select(i => new AuditRecord(null, null, "test", null, null, $"entry {i}", at.AddMinutes(i)))], CancellationToken.None);
            await work.CommitAsync(CancellationToken.None);
        }

        var intact = await CliRunner.RunAsync(database, "audit", "verify");

        Assert.Equal(0, intact.ExitCode);
        Assert.StartsWith("Audit trail intact: 4 entries, head 4 ", intact.Output, StringComparison.Ordinal);

        long edited;
        await using (var connection = await database.Connections.OpenAsync())
        {
            edited = await connection.ExecuteScalarAsync<long>("SELECT id FROM challenge_audit WHERE chain_seq = 2");
            await connection.ExecuteAsync("DROP TRIGGER challenge_audit_no_update; UPDATE challenge_audit SET reason = 'edited' WHERE id = @Id", new { Id = edited });
        }

        var broken = await CliRunner.RunAsync(database, "audit", "verify");

        Assert.Equal(1, broken.ExitCode);
        Assert.Contains($"BROKEN at entry #{edited} (place 2)", broken.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_UnmigratedDatabase_ExitsTwo_WithoutMigratingIt()
    {
        await using var database = await TestDatabase.CreateAsync(TestEngines.Sqlite, migrate: false);

        var result = await CliRunner.RunAsync(database, "audit", "verify");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("marketplace migrate", result.Error, StringComparison.Ordinal);
        await using var connection = await database.Connections.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_migrations"));
    }
}
