using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Marketplace.Data;

/// <summary>Opens connections to the configured engine, prepared the same way every time.</summary>
public sealed class DbConnectionFactory
{
    private readonly string _connectionString;

    public DbConnectionFactory(DatabaseProvider provider, string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("A database connection string is required (Database:ConnectionString).", nameof(connectionString));
        }

        DapperSetup.EnsureConfigured();
        Dialect = SqlDialect.For(provider);
        _connectionString = provider == DatabaseProvider.Sqlite ? PrepareSqliteFile(connectionString) : connectionString;
    }

    public DbConnectionFactory(DatabaseOptions options)
        : this(options.ParsedProvider(), options.ConnectionString)
    {
        if (options.CountCommands && Dialect.Provider != DatabaseProvider.Sqlite)
        {
            throw new ArgumentException("Database:CountCommands works with SQLite only (a counting wrapper would hide Npgsql's native arrays from Dapper).");
        }

        _countCommands = options.CountCommands;
    }

    private readonly bool _countCommands;

    public SqlDialect Dialect { get; }

    /// <summary>A short description safe to print: engine and database, never the password.</summary>
    public string Describe() => Dialect.Provider switch
    {
        DatabaseProvider.Sqlite => $"SQLite file {new SqliteConnectionStringBuilder(_connectionString).DataSource}",
        DatabaseProvider.Postgres => DescribePostgres(),
        _ => $"SQL Server database {new SqlConnectionStringBuilder(_connectionString).InitialCatalog}",
    };

    private string DescribePostgres()
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString);
        return $"PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port}";
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Dialect.Provider switch
        {
            DatabaseProvider.Sqlite => new SqliteConnection(_connectionString),
            DatabaseProvider.Postgres => new NpgsqlConnection(_connectionString),
            _ => new SqlConnection(_connectionString),
        };
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (Dialect.Provider == DatabaseProvider.Sqlite)
            {
                // Per-connection settings: SQLite enforces foreign keys only when asked, and waits
                // for a busy writer instead of failing at once.
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            return _countCommands ? new Diagnostics.CountingConnection(connection) : connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates the folder of a SQLite file and switches the file to write-ahead logging once, so readers
    /// never block the writer.
    /// </summary>
    private static string PrepareSqliteFile(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var dataSource = builder.DataSource;
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL;";
            command.ExecuteNonQuery();
        }

        return builder.ToString();
    }
}
