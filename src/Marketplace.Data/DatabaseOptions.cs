namespace Marketplace.Data;

/// <summary>Which database engine the application talks to, chosen once at start-up.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}

/// <summary>The "Database" configuration section: provider and connection string.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>sqlite (default), postgres or sqlserver.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>ADO.NET connection string. For SQLite the default is a file under ./data.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/marketplace.db";

    /// <summary>Counts the SQL commands of each flow of work (tests' query ceilings); SQLite only. Off by default.</summary>
    public bool CountCommands { get; set; }

    public DatabaseProvider ParsedProvider() => ParseProvider(Provider);

    public static DatabaseProvider ParseProvider(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "SQLITE" => DatabaseProvider.Sqlite,
        "POSTGRES" or "POSTGRESQL" or "NPGSQL" => DatabaseProvider.Postgres,
        "SQLSERVER" or "MSSQL" => DatabaseProvider.SqlServer,
        _ => throw new ArgumentException(
            $"Unknown database provider '{value}'. Use one of: sqlite, postgres, sqlserver."),
    };
}
