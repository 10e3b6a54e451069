using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Marketplace.Data;
using Microsoft.Data.Sqlite;

namespace Marketplace.Jobs;

/// <summary>
/// Hangfire's storage on the application's own database, chosen by Database:Provider. The storage is an instance
/// held by the app (never Hangfire's static JobStorage.Current), so two apps in one process keep their own.
/// </summary>
public static class JobStorageFactory
{
    /// <summary>The PostgreSQL / SQL Server schema holding Hangfire's tables, created by Hangfire itself.</summary>
    public const string Schema = "hangfire";

    public static JobStorage Create(DatabaseOptions database, JobsOptions jobs) => database.ParsedProvider() switch
    {
        DatabaseProvider.Sqlite => new SQLiteStorage(SqliteFileFor(database, jobs), new SQLiteStorageOptions
        {
            QueuePollInterval = TimeSpan.FromSeconds(Math.Max(1, jobs.PollSeconds)),
        }),
        DatabaseProvider.Postgres => PostgresStorage(database, jobs),
        DatabaseProvider.SqlServer => new SqlServerStorage(database.ConnectionString, new SqlServerStorageOptions
        {
            SchemaName = Schema,
            PrepareSchemaIfNecessary = true,
            // Zero: SQL Server's own sliding invisibility and long polling, Hangfire's recommended settings for 1.8.
            QueuePollInterval = TimeSpan.Zero,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(database), database.Provider, "Unknown provider."),
    };

    private static PostgreSqlStorage PostgresStorage(DatabaseOptions database, JobsOptions jobs)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = Schema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromSeconds(Math.Max(1, jobs.PollSeconds)),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(database.ConnectionString, options, null), options);
    }

    /// <summary>Jobs:SqliteFile, else &lt;app file name&gt;.hangfire.db beside the application's SQLite file.</summary>
    public static string SqliteFileFor(DatabaseOptions database, JobsOptions jobs)
    {
        if (!string.IsNullOrWhiteSpace(jobs.SqliteFile))
        {
            return Path.GetFullPath(jobs.SqliteFile);
        }

        var appFile = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        if (string.IsNullOrWhiteSpace(appFile) || appFile == ":memory:")
        {
            throw new ArgumentException("Hangfire on SQLite needs a database file: set Jobs:SqliteFile, or Jobs:Enabled=false for an in-memory database.");
        }

        var full = Path.GetFullPath(appFile);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".hangfire.db");
    }
}
