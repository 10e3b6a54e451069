using System.Data.Common;
using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Data.Application;

namespace Marketplace.Data.Audit;

/// <summary>
/// The append-only audit log of challenges. Entries are written inside the transaction of the change they record
/// and never updated or deleted: there is no method for either.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Injected store: callers depend on the instance, whether or not a method needs its fields.")]
public sealed class AuditLog(DbConnectionFactory connections) : IAuditTrail
{
    public async Task AppendAsync(IUnitOfWork work, IReadOnlyList<AuditRecord> entries, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        foreach (var entry in entries)
        {
            await AppendAsync(db.Connection, db.Transaction, entry.ChallengeId, entry.ActorUserId, entry.Action, entry.FromStatus, entry.ToStatus, entry.Reason, entry.At, cancellationToken);
        }
    }

    public Task AppendAsync(DbConnection connection, DbTransaction transaction, long challengeId, long? actorUserId, ChallengeTransition transition,
        DateTimeOffset at, CancellationToken cancellationToken) =>
        AppendAsync(connection, transaction, challengeId, actorUserId, transition.Action, transition.From, transition.To, transition.Reason, at, cancellationToken);

    public async Task AppendAsync(DbConnection connection, DbTransaction transaction, long challengeId, long? actorUserId, string action,
        string? fromStatus, string? toStatus, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO challenge_audit (challenge_id, actor_user_id, action, from_status, to_status, reason, occurred_at)
            VALUES (@ChallengeId, @ActorUserId, @Action, @FromStatus, @ToStatus, @Reason, @At)
            """,
            new { ChallengeId = challengeId, ActorUserId = actorUserId, Action = action, FromStatus = fromStatus, ToStatus = toStatus, Reason = reason, At = at },
            transaction, cancellationToken: cancellationToken));
    }

    /// <summary>A challenge's history, oldest first, with the actor's display name (none for the system).</summary>
    public async Task<IReadOnlyList<AuditEntry>> ForChallengeAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditEntry>(new CommandDefinition(
            """
            SELECT a.id AS Id, a.challenge_id AS ChallengeId, a.actor_user_id AS ActorUserId, u.display_name AS ActorName,
                   a.action AS Action, a.from_status AS FromStatus, a.to_status AS ToStatus, a.reason AS Reason, a.occurred_at AS OccurredAt
            FROM challenge_audit a LEFT JOIN users u ON u.id = a.actor_user_id
            WHERE a.challenge_id = @ChallengeId
            ORDER BY a.id
            """, new { ChallengeId = challengeId }, cancellationToken: cancellationToken));
        return rows.ToList();
    }
}
