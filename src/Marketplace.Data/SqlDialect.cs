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

    /// <summary>
    /// An INSERT that does nothing when a row with the same key exists, also when another transaction inserts it at
    /// the same moment (the loser waits for the winner instead of failing on the unique key).
    /// </summary>
    public string InsertIfAbsent(string table, string keyColumn, string keyParameter, string columns, string values) => Provider == DatabaseProvider.SqlServer
        ? $"IF NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {keyColumn} = {keyParameter}) INSERT INTO {table} ({columns}) VALUES ({values})"
        : $"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({keyColumn}) DO NOTHING";

    /// <summary>
    /// <see cref="InsertIfAbsent(string, string, string, string, string)"/> for a key of several columns (named in the
    /// same order as their parameters).
    /// </summary>
    public string InsertIfAbsent(string table, IReadOnlyList<string> keyColumns, IReadOnlyList<string> keyParameters, string columns, string values) =>
        Provider == DatabaseProvider.SqlServer
            ? $"IF NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {string.Join(" AND ", keyColumns.Zip(keyParameters, (c, p) => $"{c} = {p}"))}) INSERT INTO {table} ({columns}) VALUES ({values})"
            : $"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({string.Join(", ", keyColumns)}) DO NOTHING";

    /// <summary>
    /// Claims up to @Take rows of a work queue in one statement: sets <paramref name="set"/> on the first rows (by
    /// <paramref name="orderBy"/>) matching <paramref name="where"/>, skipping rows another claimer holds locked, so two
    /// servers claiming at once get disjoint rows. The condition is checked again on the row being updated.
    /// SQLite has one writer at a time, so its plain UPDATE … WHERE id IN (SELECT … LIMIT) is already atomic.
    /// </summary>
    public string ClaimBatch(string table, string set, string where, string orderBy) => Provider switch
    {
        DatabaseProvider.Postgres =>
            $"UPDATE {table} SET {set} WHERE id IN (SELECT id FROM {table} WHERE {where} ORDER BY {orderBy} LIMIT @Take FOR UPDATE SKIP LOCKED) AND {where}",
        DatabaseProvider.SqlServer =>
            $"WITH batch AS (SELECT TOP (@Take) * FROM {table} WITH (ROWLOCK, UPDLOCK, READPAST) WHERE {where} ORDER BY {orderBy}) UPDATE batch SET {set}",
        _ => $"UPDATE {table} SET {set} WHERE id IN (SELECT id FROM {table} WHERE {where} ORDER BY {orderBy} LIMIT @Take) AND {where}",
    };

    /// <summary>Escapes LIKE wildcards in user text and wraps it in % for <see cref="ContainsIgnoringCase"/>.</summary>
    public static string ContainsPattern(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal)
                  .Replace("%", "\\%", StringComparison.Ordinal)
                  .Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
