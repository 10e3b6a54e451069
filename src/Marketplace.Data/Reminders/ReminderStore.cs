using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Notifications;
using Marketplace.Data.Application;

namespace Marketplace.Data.Reminders;

/// <summary>The reminder run's reads and the notification_reminders record that makes each reminder go out once.</summary>
public sealed class ReminderStore(DbConnectionFactory connections) : IReminderStore, IDigestStore
{
    public async Task<IReadOnlyList<DigestEntry>> RecommendedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DigestEntry>(new CommandDefinition(
            """
            SELECT r.vendor_id AS VendorId, c.id AS ChallengeId, c.title AS Title, r.score AS Score
            FROM match_results r JOIN challenges c ON c.id = r.challenge_id
            WHERE c.status = @Published AND c.published_at > @Since
            ORDER BY r.vendor_id, r.score DESC, c.id
            """, new { Published = ChallengeStatus.Published, Since = since }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<DueMilestone>> DueMilestonesAsync(DateOnly horizon, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DueMilestone>(new CommandDefinition(
            """
            SELECT m.id AS Id, m.name AS Name, m.due_on AS DueOn, p.challenge_id AS ChallengeId, c.title AS ChallengeTitle,
                   p.vendor_id AS VendorId, p.enterprise_id AS EnterpriseId
            FROM delivery_milestones m
            JOIN delivery_projects p ON p.id = m.project_id
            JOIN challenges c ON c.id = p.challenge_id
            WHERE p.status = 'active' AND m.status IN ('pending', 'rejected') AND m.due_on <= @Horizon
            ORDER BY m.due_on, m.id
            """, new { Horizon = horizon }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<DueReview>> DueReviewsAsync(DateTimeOffset horizon, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // Incomplete = fewer criteria scored than the rubric has (no rubric yet counts as nothing scored).
        return (await connection.QueryAsync<DueReview>(new CommandDefinition(
            """
            SELECT a.reviewer_user_id AS ReviewerUserId, a.challenge_id AS ChallengeId, c.title AS ChallengeTitle,
                   MIN(a.due_at) AS DueAt, COUNT(*) AS Proposals
            FROM review_assignments a
            JOIN challenges c ON c.id = a.challenge_id
            WHERE a.status IN ('assigned', 'accepted') AND a.due_at IS NOT NULL AND a.due_at <= @Horizon
              AND NOT EXISTS (SELECT 1 FROM price_envelope_openings eo WHERE eo.challenge_id = a.challenge_id)
              AND (SELECT COUNT(DISTINCT s.criterion_id) FROM review_scores s WHERE s.assignment_id = a.id)
                  < (SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE COUNT(*) END FROM review_criteria rc WHERE rc.challenge_id = a.challenge_id)
            GROUP BY a.reviewer_user_id, a.challenge_id, c.title
            ORDER BY MIN(a.due_at), a.challenge_id, a.reviewer_user_id
            """, new { Horizon = horizon }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<DueChallenge>> DueChallengesAsync(DateTimeOffset now, DateTimeOffset horizon, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DueChallenge>(new CommandDefinition(
            """
            SELECT c.id AS Id, c.title AS Title, c.deadline_at AS DeadlineAt FROM challenges c
            WHERE c.status = @Published AND c.deadline_at > @Now AND c.deadline_at <= @Horizon
            ORDER BY c.deadline_at, c.id
            """, new { Published = ChallengeStatus.Published, Now = now, Horizon = horizon }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<bool> IsRecordedAsync(IUnitOfWork work, string kind, string subjectKey, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>(
            "SELECT COUNT(*) FROM notification_reminders WHERE kind = @Kind AND subject_key = @Key", new { Kind = kind, Key = subjectKey }, cancellationToken) > 0;

    public Task RecordAsync(IUnitOfWork work, string kind, string subjectKey, int recipients, DateTimeOffset at, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ExecuteAsync(
            "INSERT INTO notification_reminders (kind, subject_key, sent_at, recipients) VALUES (@Kind, @Key, @At, @Recipients)",
            new { Kind = kind, Key = subjectKey, At = at, Recipients = recipients }, cancellationToken);
}
