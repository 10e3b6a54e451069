using System.Data.Common;
using System.Globalization;
using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Notifications;
using Marketplace.Data.Notifications;

namespace Marketplace.Data.Reminders;

/// <summary>How far ahead reminders go out (configuration section "Reminders").</summary>
public sealed record ReminderSettings
{
    public const string SectionName = "Reminders";

    /// <summary>Vendors following a challenge are reminded this many hours before its deadline.</summary>
    public int DeadlineNearHours { get; init; } = 72;

    /// <summary>A delivery milestone still to be delivered is announced this many days before its due date.</summary>
    public int MilestoneDueDays { get; init; } = 7;
}

/// <summary>
/// Sends the time-triggered notifications that no user action causes: "the deadline is near" to every vendor
/// following a published challenge (NDA accepted, asked a question, started or submitted a proposal, or invited by
/// the enterprise), and "a milestone is due" to both parties of a delivery project. Each reminder is recorded in notification_reminders in the same transaction as its notification
/// rows, keyed by the subject and the date it is about, so a run is idempotent: running it again, or from the page
/// and the CLI at once, notifies nobody twice; a deadline moved by a new version gets a reminder of its own.
/// `marketplace notifications remind` is its CLI twin; the jobs issue schedules it.
/// </summary>
public sealed class DueReminders(DbConnectionFactory connections, NotificationStore notifications, ReminderSettings settings)
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Sends every reminder due at <paramref name="now"/>; returns how many subjects were reminded.</summary>
    public async Task<int> SendDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await SendDeadlineRemindersAsync(now, cancellationToken) + await SendMilestoneRemindersAsync(now, cancellationToken);

    /// <summary>
    /// "A milestone is due": to the vendor's and the enterprise's members of an active delivery project, for each
    /// milestone not yet delivered (pending, or its evidence rejected) whose due date is within
    /// <see cref="ReminderSettings.MilestoneDueDays"/> days of today in Beijing (due dates are Chinese calendar dates),
    /// overdue ones included. Once per milestone and due date: an approved stage adjustment's new date gets its own.
    /// </summary>
    public async Task<int> SendMilestoneRemindersAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Beijing).DateTime);
        IReadOnlyList<DueMilestone> due;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<DueMilestone>(new CommandDefinition(
                """
                SELECT m.id AS Id, m.name AS Name, m.due_on AS DueOn, p.challenge_id AS ChallengeId, c.title AS ChallengeTitle,
                       p.vendor_id AS VendorId, p.enterprise_id AS EnterpriseId
                FROM delivery_milestones m
                JOIN delivery_projects p ON p.id = m.project_id
                JOIN challenges c ON c.id = p.challenge_id
                WHERE p.status = 'active' AND m.status IN ('pending', 'rejected') AND m.due_on <= @Horizon
                ORDER BY m.due_on, m.id
                """, new { Horizon = today.AddDays(settings.MilestoneDueDays) }, cancellationToken: cancellationToken))).ToList();
        }

        var reminded = 0;
        foreach (var milestone in due)
        {
            var key = $"milestone:{milestone.Id}:{milestone.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
            var sent = await SendOnceAsync(NotificationKinds.MilestoneDue, key, now, async (connection, transaction) =>
            {
                var recipients = (await NotificationStore.OrganisationMembersAsync(connection, transaction, milestone.VendorId, cancellationToken))
                    .Concat(await NotificationStore.OrganisationMembersAsync(connection, transaction, milestone.EnterpriseId, cancellationToken))
                    .DistinctBy(r => r.UserId)
                    .ToList();
                var written = 0;
                foreach (var group in recipients.GroupBy(r => r.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase)))
                {
                    var date = milestone.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    var overdue = milestone.DueOn < today;
                    var detail = group.Key
                        ? $"Milestone: {milestone.Name} · due {date}{(overdue ? " (overdue)" : "")}"
                        : $"里程碑：{milestone.Name} · 到期日 {date}{(overdue ? "（已逾期）" : "")}";
                    written += await notifications.AddAsync(connection, transaction, group, NotificationKinds.MilestoneDue, milestone.ChallengeId,
                        milestone.ChallengeTitle, detail, now, cancellationToken);
                }

                return written;
            }, cancellationToken);
            if (sent)
            {
                reminded++;
            }
        }

        return reminded;
    }

    public async Task<int> SendDeadlineRemindersAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var horizon = now.AddHours(settings.DeadlineNearHours);
        IReadOnlyList<DueChallenge> due;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<DueChallenge>(new CommandDefinition(
                """
                SELECT c.id AS Id, c.title AS Title, c.deadline_at AS DeadlineAt FROM challenges c
                WHERE c.status = @Published AND c.deadline_at > @Now AND c.deadline_at <= @Horizon
                ORDER BY c.deadline_at, c.id
                """, new { Published = ChallengeStatus.Published, Now = now, Horizon = horizon }, cancellationToken: cancellationToken))).ToList();
        }

        var reminded = 0;
        foreach (var challenge in due)
        {
            var key = $"challenge:{challenge.Id}:{challenge.DeadlineAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture)}";
            var sent = await SendOnceAsync(NotificationKinds.DeadlineNear, key, now, async (connection, transaction) =>
            {
                var recipients = (await NotificationStore.FollowingVendorsAsync(connection, transaction, challenge.Id, cancellationToken))
                    .Concat(await InvitedVendorsAsync(connection, transaction, challenge.Id, cancellationToken))
                    .DistinctBy(r => r.UserId)
                    .ToList();
                var written = 0;
                // The deadline is written in each reader's terms: Beijing time for Chinese readers, UTC for English ones.
                foreach (var group in recipients.GroupBy(r => r.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase)))
                {
                    written += await notifications.AddAsync(connection, transaction, group, NotificationKinds.DeadlineNear, challenge.Id, challenge.Title,
                        DeadlineText(challenge.DeadlineAt, english: group.Key), now, cancellationToken);
                }

                return written;
            }, cancellationToken);
            if (sent)
            {
                reminded++;
            }
        }

        return reminded;
    }

    public static string DeadlineText(DateTimeOffset deadline, bool english) => english
        ? deadline.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC"
        : TimeZoneInfo.ConvertTime(deadline, Beijing).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "（北京时间）";

    /// <summary>
    /// Records the reminder and writes its notifications in one transaction, unless it was recorded before. Two runs
    /// racing for the same reminder both try to insert the key; the primary key lets one commit, the other finds it.
    /// </summary>
    private async Task<bool> SendOnceAsync(string kind, string subjectKey, DateTimeOffset now, Func<DbConnection, DbTransaction, Task<int>> notify, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await IsRecordedAsync(connection, transaction, kind, subjectKey, cancellationToken))
        {
            return false;
        }

        var recipients = await notify(connection, transaction);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO notification_reminders (kind, subject_key, sent_at, recipients) VALUES (@Kind, @Key, @Now, @Recipients)",
                new { Kind = kind, Key = subjectKey, Now = now, Recipients = recipients }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbException)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            await using var check = await connections.OpenAsync(cancellationToken);
            if (await IsRecordedAsync(check, null, kind, subjectKey, cancellationToken))
            {
                // Another run sent this reminder between our check and our insert: its notifications stand, ours rolled back.
                return false;
            }

            throw;
        }
    }

    private static async Task<bool> IsRecordedAsync(DbConnection connection, DbTransaction? transaction, string kind, string subjectKey, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM notification_reminders WHERE kind = @Kind AND subject_key = @Key",
            new { Kind = kind, Key = subjectKey }, transaction, cancellationToken: cancellationToken)) > 0;

    /// <summary>Members of vendor organisations the enterprise invited to bid (the matcher's "invited" decision).</summary>
    private static async Task<IReadOnlyList<Recipient>> InvitedVendorsAsync(DbConnection connection, DbTransaction transaction, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Recipient>(new CommandDefinition(
            """
            SELECT u.id AS UserId, u.preferred_language AS Language
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organisation_id IN (SELECT vendor_id FROM match_signals WHERE challenge_id = @ChallengeId AND kind = 'invited')
            """, new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken))).ToList();

    private sealed class DueMilestone
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public DateOnly DueOn { get; init; }
        public long ChallengeId { get; init; }
        public string ChallengeTitle { get; init; } = "";
        public long VendorId { get; init; }
        public long EnterpriseId { get; init; }
    }

    private sealed class DueChallenge
    {
        public long Id { get; init; }
        public string Title { get; init; } = "";
        public DateTimeOffset DeadlineAt { get; init; }
    }
}
