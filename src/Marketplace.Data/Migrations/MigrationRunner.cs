using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;

namespace Marketplace.Data.Migrations;

/// <summary>What a migration run did.</summary>
public sealed record MigrationReport(IReadOnlyList<MigrationScript> Applied, int AlreadyApplied);

/// <summary>A row of the schema_migrations journal.</summary>
public sealed record AppliedMigration
{
    public int Version { get; init; }
    public string Name { get; init; } = "";
    public string Checksum { get; init; } = "";
    public DateTimeOffset AppliedAt { get; init; }
}

/// <summary>
/// Applies the embedded sql/&lt;dialect&gt; migrations in order, each in its own transaction, and journals
/// them with a checksum in schema_migrations. Refuses to run against a database that has a migration this
/// build does not know, or whose recorded checksum no longer matches the file.
/// </summary>
public sealed partial class MigrationRunner(DbConnectionFactory connections, TimeProvider clock, IReadOnlyList<MigrationScript> scripts)
{
    private readonly IReadOnlyList<MigrationScript> _scripts = scripts;

    /// <summary>The runner for the migrations embedded in this build for the connection's dialect.</summary>
    public MigrationRunner(DbConnectionFactory connections, TimeProvider clock)
        : this(connections, clock, MigrationScript.LoadEmbedded(connections.Dialect))
    {
    }

    /// <summary>Any fixed number works: it only has to be the same in every process of this application.</summary>
    private const long PostgresLockKey = 7_316_452_001;

    /// <summary>The migration that makes the audit log a hash chain; after it, every run chains unchained entries.</summary>
    private const string AuditChainMigration = "audit_chain";

    public IReadOnlyList<MigrationScript> KnownMigrations => _scripts;

    public async Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await AcquireMigrationLockAsync(connection, cancellationToken);
        try
        {
            await EnsureJournalAsync(connection, cancellationToken);
            var applied = await ReadJournalAsync(connection, cancellationToken);
            var pending = Verify(applied);

            foreach (var script in pending)
            {
                await ApplyAsync(connection, script, cancellationToken);
            }

            if (_scripts.Any(s => s.Name == AuditChainMigration))
            {
                // Entries written before the audit log became a chain (or by an older build) join it, in id order.
                await Audit.AuditLog.SealUnchainedAsync(connection, cancellationToken);
            }

            return new MigrationReport(pending, applied.Count);
        }
        finally
        {
            await ReleaseMigrationLockAsync(connection, cancellationToken);
        }
    }

    /// <summary>Checks the journal against the code without changing anything; returns the pending scripts.</summary>
    public async Task<IReadOnlyList<MigrationScript>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await EnsureJournalAsync(connection, cancellationToken);
        return Verify(await ReadJournalAsync(connection, cancellationToken));
    }

    private List<MigrationScript> Verify(IReadOnlyList<AppliedMigration> applied)
    {
        var known = _scripts.ToDictionary(s => s.Version);
        foreach (var row in applied)
        {
            if (!known.TryGetValue(row.Version, out var script))
            {
                throw new MigrationException(
                    $"The database has migration {row.Version:D4}_{row.Name} applied, which this version of Marketplace does not know. " +
                    "It was probably migrated by a newer build: run that build, or restore a backup taken before it.");
            }

            if (!string.Equals(script.Checksum, row.Checksum, StringComparison.Ordinal))
            {
                throw new MigrationException(
                    $"Migration {script.FileName} was changed after it was applied to this database (checksum {row.Checksum[..12]}… recorded, {script.Checksum[..12]}… now). " +
                    "Applied migrations must never be edited: restore the file and add a new migration for the change.");
            }
        }

        var appliedVersions = applied.Select(a => a.Version).ToHashSet();
        return _scripts.Where(s => !appliedVersions.Contains(s.Version)).ToList();
    }

    public static async Task<IReadOnlyList<AppliedMigration>> ReadJournalAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<AppliedMigration>(new CommandDefinition(
            "SELECT version AS Version, name AS Name, checksum AS Checksum, applied_at AS AppliedAt FROM schema_migrations ORDER BY version",
            cancellationToken: cancellationToken));
        return rows.ToList();
    }

    private async Task ApplyAsync(DbConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            foreach (var batch in SplitBatches(script.Sql))
            {
                await connection.ExecuteAsync(new CommandDefinition(batch, transaction: transaction, cancellationToken: cancellationToken));
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, @AppliedAt)",
                new { script.Version, script.Name, script.Checksum, AppliedAt = clock.GetUtcNow() },
                transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            throw new MigrationException($"Migration {script.FileName} failed and was rolled back: {ex.Message}", ex);
        }
    }

    /// <summary>SQL Server runs "GO"-separated batches one at a time; the other engines take the file whole.</summary>
    private IEnumerable<string> SplitBatches(string sql) =>
        connections.Dialect.Provider == DatabaseProvider.SqlServer
            ? GoSeparator().Split(sql).Where(batch => !string.IsNullOrWhiteSpace(batch))
            : [sql];

    [GeneratedRegex(@"^\s*GO\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoSeparator();

    private async Task EnsureJournalAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var ddl = connections.Dialect.Provider switch
        {
            DatabaseProvider.Sqlite =>
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)",
            DatabaseProvider.Postgres =>
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)",
            _ =>
                "IF OBJECT_ID(N'schema_migrations', N'U') IS NULL CREATE TABLE schema_migrations (version INT PRIMARY KEY, name NVARCHAR(200) NOT NULL, checksum NVARCHAR(64) NOT NULL, applied_at DATETIMEOFFSET NOT NULL)",
        };
        await connection.ExecuteAsync(new CommandDefinition(ddl, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Two instances starting together against one server must not both apply a migration. SQLite needs
    /// no lock here: its write transaction already serialises writers.
    /// </summary>
    private async Task AcquireMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var sql = connections.Dialect.Provider switch
        {
            DatabaseProvider.Postgres => $"SELECT pg_advisory_lock({PostgresLockKey})",
            DatabaseProvider.SqlServer => "EXEC sp_getapplock @Resource = 'marketplace_migrations', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = 120000",
            _ => null,
        };
        if (sql is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
        }
    }

    private async Task ReleaseMigrationLockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var sql = connections.Dialect.Provider switch
        {
            DatabaseProvider.Postgres => $"SELECT pg_advisory_unlock({PostgresLockKey})",
            DatabaseProvider.SqlServer => "EXEC sp_releaseapplock @Resource = 'marketplace_migrations', @LockOwner = 'Session'",
            _ => null,
        };
        if (sql is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
        }
    }
}
