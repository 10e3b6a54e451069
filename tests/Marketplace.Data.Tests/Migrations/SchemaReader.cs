using Dapper;
using Marketplace.Data;

namespace Marketplace.Data.Tests.Migrations;

/// <summary>Reads the tables and columns of a database from its own catalogue, in one sorted form for every engine.</summary>
internal static class SchemaReader
{
    public static async Task<IReadOnlyList<string>> TablesAsync(DbConnectionFactory connections) =>
        (await ColumnsAsync(connections)).Select(c => c.Split('.')[0]).Distinct().ToList();

    /// <summary>"table.column" for every column of every application table, sorted.</summary>
    public static async Task<IReadOnlyList<string>> ColumnsAsync(DbConnectionFactory connections)
    {
        await using var connection = await connections.OpenAsync();
        var sql = connections.Dialect.Provider switch
        {
            DatabaseProvider.Sqlite => """
                SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
                WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
                """,
            DatabaseProvider.Postgres => "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'",
            _ => "SELECT TABLE_NAME + '.' + COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'dbo'",
        };
        var rows = await connection.QueryAsync<string>(sql);
        return rows.Order(StringComparer.Ordinal).ToList();
    }
}
