using System.Text;
using Dapper;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// Every row of every application table (not Hangfire's queue, not the key ring), one hash per table: a refused
/// change must leave all of them as they were. Shared by the route-table matrix and the hostile page-form suite.
/// </summary>
public static class DatabaseSnapshot
{
    /// <remarks>Rows are sorted as text, so the engine's row order does not matter; SQLite and PostgreSQL.</remarks>
    public static async Task<Dictionary<string, string>> TakeAsync(MarketplaceFactory factory)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        var tables = (await connection.QueryAsync<string>(factory.Database.Engine == Marketplace.Testing.TestEngines.Postgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'data_protection_keys' ORDER BY table_name"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'hangfire%' AND name <> 'data_protection_keys' ORDER BY name")).ToList();
        Assert.True(tables.Count > 20, $"only {tables.Count} tables: is this the test database?");
        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var rows = new List<string>();
            foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT * FROM \"{table}\""))
            {
                rows.Add(string.Join('\u001f', row.Select(c => c.Key + "=" + (c.Value is byte[] bytes ? Convert.ToHexString(bytes)
                    : Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture)))));
            }

            rows.Sort(StringComparer.Ordinal);
            snapshot[table] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001e', rows))));
        }

        return snapshot;
    }

    /// <summary>The tables whose rows differ between two snapshots (empty when nothing changed).</summary>
    public static IReadOnlyList<string> Changed(Dictionary<string, string> before, Dictionary<string, string> after) =>
        before.Keys.Union(after.Keys).Where(t => !before.TryGetValue(t, out var b) || !after.TryGetValue(t, out var a) || a != b).Order(StringComparer.Ordinal).ToList();
}
