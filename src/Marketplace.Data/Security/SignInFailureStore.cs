using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Marketplace.Data.Security;

/// <summary>
/// The sign_in_failures table (migration 0021): counts of failed sign-ins by counter name, shared by every instance on
/// the database. Names are stored as their SHA-256, so the table holds no typed address or client IP. Each increment is
/// one atomic statement (a count whose last failure is older than the pause restarts at 1), so instances counting at
/// the same moment never lose a failure.
/// </summary>
public sealed class SignInFailureStore(DbConnectionFactory connections)
{
    /// <summary>The longest pause the settings allow (Security:SignIn:PauseMinutes ≤ 7 days): older rows count for nothing.</summary>
    public static readonly TimeSpan LongestPause = TimeSpan.FromDays(7);

    /// <summary>One counter: how many failures, and when the last one was.</summary>
    public sealed record Count(int Failures, DateTimeOffset LastFailureAt);

    /// <summary>The counters of these names that exist (by name).</summary>
    public async Task<IReadOnlyDictionary<string, Count>> ReadAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var byKey = names.Distinct(StringComparer.Ordinal).ToDictionary(Key, name => name, StringComparer.Ordinal);
        var parameters = new DynamicParameters();
        var placeholders = byKey.Keys.Select((key, i) =>
        {
            parameters.Add($"K{i}", key);
            return $"@K{i}";
        }).ToList();
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Key, int Failures, DateTimeOffset LastFailureAt)>(new CommandDefinition(
            $"SELECT counter_key, failures, last_failure_at FROM sign_in_failures WHERE counter_key IN ({string.Join(", ", placeholders)})",
            parameters, cancellationToken: cancellationToken));
        return rows.ToDictionary(row => byKey[row.Key], row => new Count(row.Failures, row.LastFailureAt), StringComparer.Ordinal);
    }

    /// <summary>Counts one failure on each named counter at <paramref name="now"/>; returns their counts after it (by name).</summary>
    public async Task<IReadOnlyDictionary<string, int>> IncrementAsync(IReadOnlyList<string> names, DateTimeOffset now, TimeSpan pause, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            var key = Key(name);
            var parameters = new { Key = key, Now = now, RestartBefore = now - pause };
            // Update first (the common case once an attack runs); no row yet: insert, and if another instance inserted
            // it a moment earlier the insert does nothing and the update runs again.
            var updated = await IncrementExistingAsync(connection, parameters, cancellationToken);
            if (updated == 0)
            {
                var inserted = await connection.ExecuteAsync(new CommandDefinition(
                    connections.Dialect.InsertIfAbsent("sign_in_failures", "counter_key", "@Key", "counter_key, failures, last_failure_at", "@Key, 1, @Now"),
                    parameters, cancellationToken: cancellationToken));
                if (inserted == 0)
                {
                    await IncrementExistingAsync(connection, parameters, cancellationToken);
                }
            }

            counts[name] = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "SELECT failures FROM sign_in_failures WHERE counter_key = @Key", parameters, cancellationToken: cancellationToken));
        }

        return counts;
    }

    /// <summary>Forgets one counter (a right password clears its address-and-client pair).</summary>
    public async Task ForgetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sign_in_failures WHERE counter_key = @Key", new { Key = Key(name) }, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes counters quiet for longer than any pause can last; returns how many.</summary>
    public async Task<int> PurgeQuietAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sign_in_failures WHERE last_failure_at < @Cutoff", new { Cutoff = now - LongestPause }, cancellationToken: cancellationToken));
    }

    private static Task<int> IncrementExistingAsync(System.Data.Common.DbConnection connection, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE sign_in_failures
            SET failures = CASE WHEN last_failure_at < @RestartBefore THEN 1 ELSE failures + 1 END, last_failure_at = @Now
            WHERE counter_key = @Key
            """, parameters, cancellationToken: cancellationToken));

    private static string Key(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
}
