namespace Marketplace.Data;

/// <summary>
/// The few places where SQL differs between engines, in one small type (STYLE.md: portable SQL).
/// Everything else in the stores is plain SQL that all three engines accept.
/// </summary>
public sealed class SqlDialect
{
    private SqlDialect(DatabaseProvider provider) => Provider = provider;

    public static SqlDialect Sqlite { get; } = new(DatabaseProvider.Sqlite);
    public static SqlDialect Postgres { get; } = new(DatabaseProvider.Postgres);
    public static SqlDialect SqlServer { get; } = new(DatabaseProvider.SqlServer);

    public static SqlDialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => Sqlite,
        DatabaseProvider.Postgres => Postgres,
        DatabaseProvider.SqlServer => SqlServer,
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public DatabaseProvider Provider { get; }

    /// <summary>Folder name of this dialect's migrations under sql/.</summary>
    public string Name => Provider switch
    {
        DatabaseProvider.Sqlite => "sqlite",
        DatabaseProvider.Postgres => "postgres",
        _ => "sqlserver",
    };

    /// <summary>Paging clause placed after ORDER BY; binds @Skip and @Take.</summary>
    public string Page => Provider == DatabaseProvider.SqlServer
        ? "OFFSET @Skip ROWS FETCH NEXT @Take ROWS ONLY"
        : "LIMIT @Take OFFSET @Skip";

    /// <summary>An INSERT that returns the new row's id as a single scalar.</summary>
    public string InsertReturningId(string table, string columns, string values) => Provider == DatabaseProvider.SqlServer
        ? $"INSERT INTO {table} ({columns}) OUTPUT INSERTED.id VALUES ({values})"
        : $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id";

    /// <summary>Case-insensitive substring match of a column against a parameter holding %text%.</summary>
    public string ContainsIgnoringCase(string column, string parameter) => Provider switch
    {
        DatabaseProvider.Postgres => $"{column} ILIKE {parameter} ESCAPE '\\'",
        // SQLite's LIKE folds ASCII case; SQL Server's default collation is case-insensitive.
        _ => $"{column} LIKE {parameter} ESCAPE '\\'",
    };

    /// <summary>
    /// Membership in a list parameter. Dapper expands a list into (@p1, @p2, …) for most providers, but hands
    /// PostgreSQL a native array, which needs = ANY(...).
    /// </summary>
    public string InList(string column, string parameter) => Provider == DatabaseProvider.Postgres
        ? $"{column} = ANY({parameter})"
        : $"{column} IN {parameter}";

    /// <summary>Escapes LIKE wildcards in user text and wraps it in % for <see cref="ContainsIgnoringCase"/>.</summary>
    public static string ContainsPattern(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal)
                  .Replace("%", "\\%", StringComparison.Ordinal)
                  .Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
