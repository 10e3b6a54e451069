using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Marketplace.Data.Audit;

/// <summary>One audit row as the chain sees it: the fields the hash covers, plus the stored chain columns.</summary>
public sealed record AuditChainRow
{
    public long Id { get; init; }
    public long? ChallengeId { get; init; }
    public long? ActorUserId { get; init; }
    public string Action { get; init; } = "";
    public string? FromStatus { get; init; }
    public string? ToStatus { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public long? ChainSeq { get; init; }
    public string? PrevHash { get; init; }
    public string? EntryHash { get; init; }
}

/// <summary>Where the chain first breaks: the entry (by id when it still exists), its place, and what is wrong.</summary>
public sealed record AuditChainBreak(long? EntryId, long Sequence, string Problem);

/// <summary>The outcome of walking the whole chain.</summary>
public sealed record AuditChainReport(long Entries, long HeadSequence, string HeadHash, AuditChainBreak? FirstBreak)
{
    public bool IsIntact => FirstBreak is null;
}

/// <summary>
/// The hash chain over the audit log. Each entry's hash is SHA-256 over <see cref="Canonical"/>, which includes the
/// previous entry's hash, so changing, removing or inserting any entry breaks every hash after it; the head row
/// (<c>audit_chain_head</c>) holds the last sequence and hash, so cutting entries off the end is detected too.
/// The chain proves nothing against someone who can rewrite every row and the head: compare the head hash with a copy
/// kept elsewhere (<c>marketplace audit verify</c> prints it) for that.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private const string Version = "marketplace-audit/1";

    /// <summary>
    /// The canonical serialisation: a version tag, then every field as <c>length:value</c> (length in UTF-16 code
    /// units) or <c>-</c> for NULL, joined by '|'. The length prefix keeps "a|b" + "c" apart from "a" + "b|c"; times
    /// are UTC to the millisecond (what every engine stores exactly), integers invariant.
    /// </summary>
    public static string Canonical(long sequence, string previousHash, long? challengeId, long? actorUserId, string action,
        string? fromStatus, string? toStatus, string? reason, DateTimeOffset occurredAt)
    {
        var builder = new StringBuilder(Version);
        void Field(string? value)
        {
            builder.Append('|');
            if (value is null)
            {
                builder.Append('-');
            }
            else
            {
                builder.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
            }
        }

        Field(sequence.ToString(CultureInfo.InvariantCulture));
        Field(previousHash);
        Field(challengeId?.ToString(CultureInfo.InvariantCulture));
        Field(actorUserId?.ToString(CultureInfo.InvariantCulture));
        Field(action);
        Field(fromStatus);
        Field(toStatus);
        Field(reason);
        Field(ToMilliseconds(occurredAt).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        return builder.ToString();
    }

    public static string Hash(long sequence, string previousHash, long? challengeId, long? actorUserId, string action,
        string? fromStatus, string? toStatus, string? reason, DateTimeOffset occurredAt) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            Canonical(sequence, previousHash, challengeId, actorUserId, action, fromStatus, toStatus, reason, occurredAt))));

    public static string Hash(AuditChainRow row, long sequence, string previousHash) =>
        Hash(sequence, previousHash, row.ChallengeId, row.ActorUserId, row.Action, row.FromStatus, row.ToStatus, row.Reason, row.OccurredAt);

    /// <summary>UTC, cut to whole milliseconds: the time an entry is stored with and hashed by.</summary>
    public static DateTimeOffset ToMilliseconds(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    internal sealed record ChainHead
    {
        public long LastSeq { get; init; }
        public string LastHash { get; init; } = "";
    }

    internal static Task<ChainHead> ReadHeadAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<ChainHead>(new CommandDefinition(
            "SELECT last_seq AS LastSeq, last_hash AS LastHash FROM audit_chain_head WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken));

    /// <summary>The chain columns of challenge_audit, aliased to <see cref="AuditChainRow"/>.</summary>
    public const string SelectRows = """
        SELECT id AS Id, challenge_id AS ChallengeId, actor_user_id AS ActorUserId, action AS Action, from_status AS FromStatus,
               to_status AS ToStatus, reason AS Reason, occurred_at AS OccurredAt, chain_seq AS ChainSeq, prev_hash AS PrevHash, entry_hash AS EntryHash
        FROM challenge_audit
        """;

    /// <summary>
    /// Walks the chain in sequence order and reports the first entry whose place, link or hash is wrong, an entry
    /// outside the chain, or a head that does not match the last entry.
    /// </summary>
    public static async Task<AuditChainReport> VerifyAsync(DbConnectionFactory connections, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var head = await ReadHeadAsync(connection, null, cancellationToken);

        // Rows outside the chain: written behind the application's back (or before start-up sealed them).
        var stray = await connection.QueryFirstOrDefaultAsync<AuditChainRow>(new CommandDefinition(
            SelectRows + " WHERE chain_seq IS NULL OR entry_hash IS NULL OR prev_hash IS NULL ORDER BY id", cancellationToken: cancellationToken));

        long expected = 1;
        var previous = Genesis;
        long count = 0;
        AuditChainBreak? found = null;
        // Unbuffered: the log may be long, and a walk needs one row at a time.
        var rows = connection.Query<AuditChainRow>(new CommandDefinition(
            SelectRows + " WHERE chain_seq IS NOT NULL ORDER BY chain_seq", flags: CommandFlags.None, cancellationToken: cancellationToken));
        foreach (var row in rows)
        {
            count++;
            if (found is not null)
            {
                continue;
            }

            if (row.ChainSeq != expected)
            {
                found = new AuditChainBreak(row.Id, expected, row.ChainSeq > expected
                    ? $"entries {expected}–{row.ChainSeq - 1} of the chain are missing before entry #{row.Id}"
                    : $"entry #{row.Id} repeats place {row.ChainSeq}");
            }
            else if (!string.Equals(row.PrevHash, previous, StringComparison.Ordinal))
            {
                found = new AuditChainBreak(row.Id, expected, $"entry #{row.Id} does not link to the entry before it (its previous-hash differs)");
            }
            else if (!string.Equals(row.EntryHash, Hash(row, expected, previous), StringComparison.Ordinal))
            {
                found = new AuditChainBreak(row.Id, expected, $"entry #{row.Id} was changed after it was written (its content no longer matches its hash)");
            }

            previous = row.EntryHash ?? "";
            expected++;
        }

        if (found is null && stray is not null)
        {
            found = new AuditChainBreak(stray.Id, 0, $"entry #{stray.Id} is not in the chain (written outside the application)");
        }

        if (found is null && (head.LastSeq != expected - 1 || !string.Equals(head.LastHash, previous, StringComparison.Ordinal)))
        {
            found = head.LastSeq > expected - 1
                ? new AuditChainBreak(null, expected, $"entries {expected}–{head.LastSeq} at the end of the chain are missing")
                : new AuditChainBreak(null, expected - 1, "the chain's head does not match its last entry");
        }

        return new AuditChainReport(count, head.LastSeq, head.LastHash, found);
    }
}
