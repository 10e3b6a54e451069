using Dapper;

namespace Marketplace.Data.Idempotency;

/// <summary>A stored Idempotency-Key: the request it was first used for and, once that finished, its answer.</summary>
public sealed record IdempotencyRecord
{
    public string RequestHash { get; init; } = "";
    public int? StatusCode { get; init; }
    public string? ContentType { get; init; }
    public string? Location { get; init; }
    public string? ResponseBody { get; init; }

    public bool IsCompleted => StatusCode is not null;
}

/// <summary>
/// The idempotency_keys table (migration 0019). A request claims (account, key) with an insert that does nothing when
/// the row exists, also when another request inserts it at the same moment (the loser waits for the winner's commit and
/// then sees its row), so exactly one request with a key runs. A claim left unfinished for longer than
/// <see cref="IdempotencySettings.StaleClaimMinutes"/> is taken over by the next repeat of the same request; keys older
/// than <see cref="IdempotencySettings.KeepHours"/> are deleted by <see cref="PurgeExpiredAsync"/>.
/// </summary>
public sealed class IdempotencyStore(DbConnectionFactory connections, TimeProvider clock, IdempotencySettings settings)
{
    /// <summary>Claims the key for this request; null when it was claimed now, otherwise the row already there.</summary>
    public async Task<IdempotencyRecord?> ClaimAsync(long accountId, string key, string requestHash, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            connections.Dialect.InsertIfAbsent("idempotency_keys", ["account_id", "idempotency_key"], ["@AccountId", "@Key"],
                "account_id, idempotency_key, request_hash, created_at", "@AccountId, @Key, @Hash, @Now"),
            new { AccountId = accountId, Key = key, Hash = requestHash, Now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
        if (inserted == 1)
        {
            return null;
        }

        var existing = await connection.QuerySingleAsync<IdempotencyRecord>(new CommandDefinition(
            """
            SELECT request_hash AS RequestHash, status_code AS StatusCode, content_type AS ContentType, location AS Location, response_body AS ResponseBody
            FROM idempotency_keys WHERE account_id = @AccountId AND idempotency_key = @Key
            """, new { AccountId = accountId, Key = key }, cancellationToken: cancellationToken));
        if (existing.IsCompleted || !string.Equals(existing.RequestHash, requestHash, StringComparison.Ordinal))
        {
            return existing;
        }

        // Unfinished: either its request still runs (409 to the caller) or the process died before keeping the answer.
        // A claim older than any request runs is taken over, by exactly one repeat: the update is conditional on the
        // row still being unfinished and stale, so two repeats racing for it cannot both win.
        var now = clock.GetUtcNow();
        var takenOver = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE idempotency_keys SET created_at = @Now
            WHERE account_id = @AccountId AND idempotency_key = @Key AND status_code IS NULL AND created_at < @Stale
            """,
            new { AccountId = accountId, Key = key, Now = now, Stale = now.AddMinutes(-settings.StaleClaimMinutes) }, cancellationToken: cancellationToken));
        return takenOver == 1 ? null : existing;
    }

    /// <summary>Deletes keys (finished or not) created more than <see cref="IdempotencySettings.KeepHours"/> ago; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE created_at < @Cutoff",
            new { Cutoff = clock.GetUtcNow().AddHours(-settings.KeepHours) }, cancellationToken: cancellationToken));
    }

    /// <summary>Keeps the answer of the request that claimed the key, for its repeats.</summary>
    public async Task CompleteAsync(long accountId, string key, int statusCode, string? contentType, string? location, string body, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE idempotency_keys SET status_code = @StatusCode, content_type = @ContentType, location = @Location, response_body = @Body, completed_at = @Now
            WHERE account_id = @AccountId AND idempotency_key = @Key AND status_code IS NULL
            """,
            new { AccountId = accountId, Key = key, StatusCode = statusCode, ContentType = contentType, Location = location, Body = body, Now = clock.GetUtcNow() },
            cancellationToken: cancellationToken));
    }

    /// <summary>Gives the key back when its request failed without an answer worth repeating (a fault, 5xx): a retry runs again.</summary>
    public async Task ReleaseAsync(long accountId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE account_id = @AccountId AND idempotency_key = @Key AND status_code IS NULL",
            new { AccountId = accountId, Key = key }, cancellationToken: cancellationToken));
    }
}
