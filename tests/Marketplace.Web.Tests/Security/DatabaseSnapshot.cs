using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Marketplace.Web.Tests.Infrastructure;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// Every row of every application table (not Hangfire's queue, not the key ring), one hash per table: a refused
/// change must leave all of them as they were. Shared by the route-table matrix and the hostile page-form suites.
/// </summary>
public static class DatabaseSnapshot
{
    public static async Task<Dictionary<string, string>> TableHashesAsync(this MarketplaceFactory factory)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        var tables = (await connection.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'hangfire%' AND name <> 'data_protection_keys' ORDER BY name")).ToList();
        Assert.True(tables.Count > 20, $"only {tables.Count} tables: is this the SQLite test database?");
        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var text = new StringBuilder();
            foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT * FROM \"{table}\" ORDER BY 1"))
            {
                text.AppendJoin('\u001f', row.Select(c => c.Key + "=" + Convert.ToString(c.Value, CultureInfo.InvariantCulture))).Append('\u001e');
            }

            snapshot[table] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }

        return snapshot;
    }

    /// <summary>The tables whose hash differs between two snapshots (or that appeared or disappeared).</summary>
    public static IReadOnlyList<string> ChangedTables(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        after.Where(t => !before.TryGetValue(t.Key, out var hash) || hash != t.Value).Select(t => t.Key)
            .Concat(before.Keys.Where(k => !after.ContainsKey(k))).ToList();
}
