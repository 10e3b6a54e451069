namespace Marketplace.Core.Application;

/// <summary>An entry for the append-only audit log of a challenge (its delivery and review steps included); no challenge for entries about none (negative-list edits).</summary>
public sealed record AuditRecord(long? ChallengeId, long? ActorUserId, string Action, string? FromStatus, string? ToStatus, string? Reason, DateTimeOffset At);

/// <summary>
/// A notification to write: one row per distinct person in the audiences, in their language. <see cref="EnglishReason"/>
/// replaces <see cref="Reason"/> for English readers where the detail itself is written per language (a date in their time zone).
/// </summary>
public sealed record NotificationRecord(string Kind, long? ChallengeId, string ChallengeTitle, string? Reason, IReadOnlyList<Audience> Audiences, DateTimeOffset At,
    string? EnglishReason = null);

/// <summary>Appends audit entries inside the use case's transaction.</summary>
public interface IAuditTrail
{
    Task AppendAsync(IUnitOfWork work, IReadOnlyList<AuditRecord> entries, CancellationToken cancellationToken);
}

/// <summary>Writes notifications inside the use case's transaction, so a rolled-back change notifies nobody.</summary>
public interface INotificationOutbox
{
    /// <summary>Writes the notification to everyone in its audiences; returns how many rows were written.</summary>
    Task<int> AddAsync(IUnitOfWork work, NotificationRecord notification, CancellationToken cancellationToken);
}
