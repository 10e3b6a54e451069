using Marketplace.Core.Challenges;

namespace Marketplace.Core.Application;

/// <summary>
/// What one run of a use case works with: the transaction, who acts (null for the system's own time-driven work),
/// the time the run decides by, and the audit entries and notifications it records. The runner writes the recorded
/// entries after a successful apply, in the same transaction, in the order they were recorded.
/// </summary>
public sealed class UseCaseContext(IUnitOfWork work, Actor? actor, DateTimeOffset now)
{
    private readonly List<AuditRecord> _audit = [];
    private readonly List<NotificationRecord> _notifications = [];
    private readonly List<FollowUp> _followUps = [];

    public IUnitOfWork Work { get; } = work;

    public Actor? Actor { get; } = actor;

    /// <summary>The signed-in actor; a use case that people run reads it here (the system never runs those).</summary>
    public Actor Person => Actor ?? throw new InvalidOperationException("This use case needs a signed-in actor.");

    public DateTimeOffset Now { get; } = now;

    public IReadOnlyList<AuditRecord> AuditEntries => _audit;

    public IReadOnlyList<NotificationRecord> Notifications => _notifications;

    /// <summary>Background work asked for by this run, handed over only after it commits.</summary>
    public IReadOnlyList<FollowUp> FollowUps => _followUps;

    /// <summary>Asks for background work once this run has committed (see <see cref="IFollowUpWork"/>); asking twice for the same is once.</summary>
    public void After(FollowUp followUp)
    {
        if (!_followUps.Contains(followUp))
        {
            _followUps.Add(followUp);
        }
    }

    public void Audit(long challengeId, string action, string? fromStatus, string? toStatus, string? reason = null) =>
        _audit.Add(new AuditRecord(challengeId, Actor?.UserId, action, fromStatus, toStatus, reason, Now));

    public void Audit(long challengeId, ChallengeTransition transition) =>
        Audit(challengeId, transition.Action, transition.From, transition.To, transition.Reason);

    public void Notify(string kind, long? challengeId, string challengeTitle, string? reason, params Audience[] audiences) =>
        _notifications.Add(new NotificationRecord(kind, challengeId, challengeTitle, reason, audiences, Now));

    /// <summary>A notification whose detail is written per language: Chinese readers get <paramref name="reason"/>, English ones <paramref name="englishReason"/>.</summary>
    public void Notify(string kind, long? challengeId, string challengeTitle, string reason, string englishReason, params Audience[] audiences) =>
        _notifications.Add(new NotificationRecord(kind, challengeId, challengeTitle, reason, audiences, Now, englishReason));
}
