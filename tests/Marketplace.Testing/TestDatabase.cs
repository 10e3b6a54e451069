using Marketplace.Data;
using Marketplace.Data.Migrations;
using Microsoft.Data.SqlClient;
using Npgsql;

namespace Marketplace.Testing;

/// <summary>
/// A new, empty database on a real engine, dropped on dispose: a SQLite file in a temp folder, or a fresh
/// database on the PostgreSQL / SQL Server named by the test environment.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<Task> _drop;

    private TestDatabase(string engine, DatabaseOptions options, Func<Task> drop)
    {
        Engine = engine;
        Options = options;
        _drop = drop;
        Connections = new DbConnectionFactory(options);
    }

    public string Engine { get; }

    public DatabaseOptions Options { get; }

    public DbConnectionFactory Connections { get; }

    /// <summary>Creates the database and, unless told otherwise, applies every migration.</summary>
    public static async Task<TestDatabase> CreateAsync(string engine, bool migrate = true, CancellationToken cancellationToken = default)
    {
        var database = engine switch
        {
            TestEngines.Sqlite => CreateSqlite(),
            TestEngines.Postgres => await CreatePostgresAsync(cancellationToken),
            TestEngines.SqlServer => await CreateSqlServerAsync(cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown engine."),
        };
        if (migrate)
        {
            await new MigrationRunner(database.Connections, TimeProvider.System).MigrateAsync(cancellationToken);
        }

        return database;
    }

    public ValueTask DisposeAsync() => new(_drop());

    private static string NewDatabaseName() => "mkt_test_" + Guid.NewGuid().ToString("N")[..16];

    private static TestDatabase CreateSqlite()
    {
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var options = new DatabaseOptions { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(folder, "test.db")}" };
        return new TestDatabase(TestEngines.Sqlite, options, () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a closing connection is left for the OS temp cleaner.
            }

            return Task.CompletedTask;
        });
    }

    private static async Task<TestDatabase> CreatePostgresAsync(CancellationToken cancellationToken)
    {
        var admin = TestEngines.PostgresAdminConnectionString
            ?? throw new InvalidOperationException($"{TestEngines.PostgresVariable} is not set: PostgreSQL is required in CI. Run the tests through the README's test command.");
        var name = NewDatabaseName();
        await ExecutePostgresAsync(admin, $"CREATE DATABASE {name}", cancellationToken);
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        var options = new DatabaseOptions { Provider = "postgres", ConnectionString = builder.ToString() };
        return new TestDatabase(TestEngines.Postgres, options, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await ExecutePostgresAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None);
        });
    }

    private static async Task ExecutePostgresAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<TestDatabase> CreateSqlServerAsync(CancellationToken cancellationToken)
    {
        var admin = TestEngines.SqlServerAdminConnectionString
            ?? throw new InvalidOperationException($"{TestEngines.SqlServerVariable} is not set.");
        var name = NewDatabaseName();
        await ExecuteSqlServerAsync(admin, $"CREATE DATABASE [{name}]", cancellationToken);
        var builder = new SqlConnectionStringBuilder(admin) { InitialCatalog = name };
        var options = new DatabaseOptions { Provider = "sqlserver", ConnectionString = builder.ToString() };
        return new TestDatabase(TestEngines.SqlServer, options, async () =>
        {
            SqlConnection.ClearAllPools();
            await ExecuteSqlServerAsync(admin, $"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]", CancellationToken.None);
        });
    }

    private static async Task ExecuteSqlServerAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new SqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
