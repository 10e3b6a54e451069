using System.Data.Common;
using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Proposals;
using Marketplace.Data.Application;

namespace Marketplace.Data.Audit;

/// <summary>
/// The append-only audit log. Entries are written inside the transaction of the change they record and never updated
/// or deleted: there is no method for either, and triggers refuse both (migration 0017). Each entry is a link of a hash
/// chain (<see cref="AuditChain"/>): appending locks the chain's head row first, so transactions appending at the same
/// moment queue there and each chains onto the entry the one before it committed.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Injected store: callers depend on the instance, whether or not a method needs its fields.")]
public sealed class AuditLog(DbConnectionFactory connections) : IAuditTrail
{
    public async Task AppendAsync(IUnitOfWork work, IReadOnlyList<AuditRecord> entries, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        await AppendAsync(db.Connection, db.Transaction, entries, cancellationToken);
    }

    /// <summary>Appends entries inside a transaction the caller owns (stores that write outside a use case).</summary>
    public async Task AppendAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AuditRecord> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        // Take the head row's lock before reading it: PostgreSQL and SQL Server hold it to the end of this
        // transaction, so a concurrent appender waits here and then reads the head this one leaves. SQLite's write
        // transactions (BEGIN IMMEDIATE) are already one at a time.
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_chain_head SET last_seq = last_seq WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken));
        var head = await AuditChain.ReadHeadAsync(connection, transaction, cancellationToken);
        var sequence = head.LastSeq;
        var previous = head.LastHash;
        foreach (var entry in entries)
        {
            sequence++;
            var at = AuditChain.ToMilliseconds(entry.At);
            var hash = AuditChain.Hash(sequence, previous, entry.ChallengeId, entry.ActorUserId, entry.Action, entry.FromStatus, entry.ToStatus, entry.Reason, at);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO challenge_audit (challenge_id, actor_user_id, action, from_status, to_status, reason, occurred_at, chain_seq, prev_hash, entry_hash)
                VALUES (@ChallengeId, @ActorUserId, @Action, @FromStatus, @ToStatus, @Reason, @At, @Sequence, @Previous, @Hash)
                """,
                new { entry.ChallengeId, entry.ActorUserId, entry.Action, entry.FromStatus, entry.ToStatus, entry.Reason, At = at, Sequence = sequence, Previous = previous, Hash = hash },
                transaction, cancellationToken: cancellationToken));
            previous = hash;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_chain_head SET last_seq = @Sequence, last_hash = @Hash WHERE id = 1",
            new { Sequence = sequence, Hash = previous }, transaction, cancellationToken: cancellationToken));
    }

    public Task AppendAsync(DbConnection connection, DbTransaction transaction, long challengeId, long? actorUserId, ChallengeTransition transition,
        DateTimeOffset at, CancellationToken cancellationToken) =>
        AppendAsync(connection, transaction, [new AuditRecord(challengeId, actorUserId, transition.Action, transition.From, transition.To, transition.Reason, at)], cancellationToken);

    /// <summary>
    /// Chains the entries written before migration 0017 (chain_seq still NULL), in id order, after whatever is chained
    /// already. Deterministic: the same rows give the same hashes on every engine. Returns how many it chained.
    /// </summary>
    public static async Task<int> SealUnchainedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_chain_head SET last_seq = last_seq WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken));
        var rows = (await connection.QueryAsync<AuditChainRow>(new CommandDefinition(
            AuditChain.SelectRows + " WHERE chain_seq IS NULL ORDER BY id", transaction: transaction, cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return 0;
        }

        var head = await AuditChain.ReadHeadAsync(connection, transaction, cancellationToken);
        var sequence = head.LastSeq;
        var previous = head.LastHash;
        foreach (var row in rows)
        {
            sequence++;
            var hash = AuditChain.Hash(row, sequence, previous);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE challenge_audit SET chain_seq = @Sequence, prev_hash = @Previous, entry_hash = @Hash WHERE id = @Id AND chain_seq IS NULL",
                new { row.Id, Sequence = sequence, Previous = previous, Hash = hash }, transaction, cancellationToken: cancellationToken));
            previous = hash;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_chain_head SET last_seq = @Sequence, last_hash = @Hash WHERE id = 1",
            new { Sequence = sequence, Hash = previous }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    /// <summary>Walks the whole chain (<see cref="AuditChain.VerifyAsync"/>).</summary>
    public Task<AuditChainReport> VerifyAsync(CancellationToken cancellationToken) => AuditChain.VerifyAsync(connections, cancellationToken);

    /// <summary>
    /// A challenge's history, oldest first, with the actor's display name (none for the system). Proposal entries stay
    /// out while the challenge accepts proposals (or was withdrawn while it did): who bid is sealed until the deadline.
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> ForChallengeAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditEntry>(new CommandDefinition(
            $"""
            SELECT a.id AS Id, a.challenge_id AS ChallengeId, a.actor_user_id AS ActorUserId, u.display_name AS ActorName,
                   a.action AS Action, a.from_status AS FromStatus, a.to_status AS ToStatus, a.reason AS Reason, a.occurred_at AS OccurredAt
            FROM challenge_audit a LEFT JOIN users u ON u.id = a.actor_user_id JOIN challenges c ON c.id = a.challenge_id
            WHERE a.challenge_id = @ChallengeId
              AND NOT ({connections.Dialect.InList("a.action", "@ProposalActions")} AND {connections.Dialect.InList("c.status", "@Sealed")})
            ORDER BY a.id
            """, new
            {
                ChallengeId = challengeId,
                ProposalActions = new[] { ProposalActions.Submitted, ProposalActions.Revised, ProposalActions.Withdrawn },
                Sealed = new[] { ChallengeStatus.Published, ChallengeStatus.Withdrawn },
            }, cancellationToken: cancellationToken));
        return rows.ToList();
    }
}
