using System.Globalization;
using Marketplace.Core.Application;
using Marketplace.Core.Common;
using Marketplace.Core.Notifications;

namespace Marketplace.Core.Features.Notifications;

/// <summary>How far ahead reminders go out (configuration section "Reminders").</summary>
public sealed record ReminderSettings
{
    public const string SectionName = "Reminders";

    /// <summary>Vendors following a challenge are reminded this many hours before its deadline.</summary>
    public int DeadlineNearHours { get; init; } = 72;

    /// <summary>A delivery milestone still to be delivered is announced this many days before its due date.</summary>
    public int MilestoneDueDays { get; init; } = 7;

    /// <summary>A reviewer with scores still missing is reminded this many hours before the assignment's due date (and once more when overdue).</summary>
    public int ReviewDueHours { get; init; } = 48;
}

/// <summary>A reviewer's open assignments on one challenge whose scores are due soon (or overdue): the earliest due date and how many.</summary>
public sealed record DueReview
{
    public long ReviewerUserId { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public DateTimeOffset DueAt { get; init; }
    public int Proposals { get; init; }
}

/// <summary>A milestone not yet delivered whose due date is near (or past).</summary>
public sealed record DueMilestone
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public DateOnly DueOn { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public long VendorId { get; init; }
    public long EnterpriseId { get; init; }
}

/// <summary>A published challenge whose deadline is near.</summary>
public sealed record DueChallenge
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public DateTimeOffset DeadlineAt { get; init; }
}

/// <summary>What the reminder run reads and the record that makes each reminder go out once.</summary>
public interface IReminderStore
{
    /// <summary>Milestones of active projects still pending (or rejected) and due on or before <paramref name="horizon"/>.</summary>
    Task<IReadOnlyList<DueMilestone>> DueMilestonesAsync(DateOnly horizon, CancellationToken cancellationToken);

    /// <summary>Published challenges whose deadline lies after <paramref name="now"/> and on or before <paramref name="horizon"/>.</summary>
    Task<IReadOnlyList<DueChallenge>> DueChallengesAsync(DateTimeOffset now, DateTimeOffset horizon, CancellationToken cancellationToken);

    /// <summary>
    /// Per reviewer and challenge, live assignments (assigned or accepted) due on or before <paramref name="horizon"/>
    /// whose scores are incomplete (some rubric criterion without a score) while technical scoring is open.
    /// </summary>
    Task<IReadOnlyList<DueReview>> DueReviewsAsync(DateTimeOffset horizon, CancellationToken cancellationToken);

    Task<bool> IsRecordedAsync(IUnitOfWork work, string kind, string subjectKey, CancellationToken cancellationToken);

    /// <summary>Records the reminder; its key is unique, so a racing run's insert fails and that run rolls back.</summary>
    Task RecordAsync(IUnitOfWork work, string kind, string subjectKey, int recipients, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>One reminder: its kind, the key of its subject and date, and the notification it sends.</summary>
public sealed record Reminder(string Kind, string SubjectKey, long? ChallengeId, string ChallengeTitle, string Reason, string EnglishReason, IReadOnlyList<Audience> Audiences);

/// <summary>
/// Sends one reminder unless it was sent before: its notifications and its record commit together, so a run is
/// idempotent and two runs racing for the same reminder send it once (the loser's unique-key insert rolls back).
/// Returns whether this run sent it.
/// </summary>
public sealed class SendReminder(IReminderStore store, INotificationOutbox outbox) : UseCase<Reminder, Reminder, Reminder, bool>
{
    protected override async Task<Reminder?> LoadAsync(UseCaseContext context, Reminder request, CancellationToken cancellationToken) =>
        await store.IsRecordedAsync(context.Work, request.Kind, request.SubjectKey, cancellationToken) ? null : request;

    /// <summary>The system sends reminders; one already recorded is simply not due any more.</summary>
    protected override Error? Authorise(UseCaseContext context, Reminder request, Reminder? state) =>
        state is null ? Error.Conflict("This reminder was already sent.") : null;

    protected override Result<Reminder> Decide(UseCaseContext context, Reminder request, Reminder state) => state;

    protected override async Task<Result<bool>> ApplyAsync(UseCaseContext context, Reminder request, Reminder state, Reminder reminder, CancellationToken cancellationToken)
    {
        // Written here rather than recorded on the context: the record keeps how many people were reminded.
        var written = await outbox.AddAsync(context.Work, new NotificationRecord(reminder.Kind, reminder.ChallengeId, reminder.ChallengeTitle, reminder.Reason,
            reminder.Audiences, context.Now, reminder.EnglishReason), cancellationToken);
        await store.RecordAsync(context.Work, reminder.Kind, reminder.SubjectKey, written, context.Now, cancellationToken);
        return true;
    }
}

/// <summary>
/// Sends the time-triggered notifications that no user action causes: "the deadline is near" to every vendor
/// following a published challenge (NDA accepted, asked a question, a live proposal, or invited by the enterprise),
/// "a milestone is due" to both parties of a delivery project, and "reviews due" to reviewers with scores missing
/// (officers too once overdue). Each goes out once per subject and date (see
/// <see cref="SendReminder"/>); a deadline moved by a new version gets a reminder of its own. Never run on a page
/// view: the scheduler and `marketplace notifications remind` run it.
/// </summary>
public sealed class DueReminders(IReminderStore store, SendReminder send, UseCaseRunner runner, ReminderSettings settings)
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Sends every reminder due now; returns how many subjects were reminded.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default) =>
        await SendDeadlineRemindersAsync(cancellationToken) + await SendMilestoneRemindersAsync(cancellationToken)
        + await SendReviewRemindersAsync(cancellationToken);

    /// <summary>
    /// "Reviews due": to each reviewer, per challenge, when open assignments with missing scores are due within
    /// <see cref="ReminderSettings.ReviewDueHours"/> hours; once before the due date and once more after it has passed
    /// (the officers are told too then). Keyed by reviewer, challenge and due date, so a new due date reminds again.
    /// </summary>
    public async Task<int> SendReviewRemindersAsync(CancellationToken cancellationToken = default)
    {
        var now = runner.Now();
        var reminders = (await store.DueReviewsAsync(now.AddHours(settings.ReviewDueHours), cancellationToken)).Select(review =>
        {
            var overdue = review.DueAt <= now;
            var due = SubjectTime(review.DueAt);
            var count = review.Proposals.ToString(CultureInfo.InvariantCulture);
            return new Reminder(NotificationKinds.ReviewDue,
                $"review:{review.ChallengeId}:{review.ReviewerUserId}:{due}{(overdue ? ":overdue" : "")}", review.ChallengeId, review.ChallengeTitle,
                $"待评分方案 {count} 份 · 截止 {DeadlineText(review.DueAt, english: false)}{(overdue ? "（已逾期）" : "")}",
                $"{count} proposal{(review.Proposals == 1 ? "" : "s")} to score · due {DeadlineText(review.DueAt, english: true)}{(overdue ? " (overdue)" : "")}",
                overdue ? [Audience.Users([review.ReviewerUserId]), Audience.Officers] : [Audience.Users([review.ReviewerUserId])]);
        });
        return await SendAllAsync(reminders, cancellationToken);
    }

    /// <summary>
    /// "A milestone is due": for each milestone not yet delivered whose due date is within
    /// <see cref="ReminderSettings.MilestoneDueDays"/> days of today in Beijing (due dates are Chinese calendar dates),
    /// overdue ones included. Once per milestone and due date: an approved stage adjustment's new date gets its own.
    /// </summary>
    public async Task<int> SendMilestoneRemindersAsync(CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(runner.Now(), Beijing).DateTime);
        var reminders = (await store.DueMilestonesAsync(today.AddDays(settings.MilestoneDueDays), cancellationToken)).Select(milestone =>
        {
            var date = milestone.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var overdue = milestone.DueOn < today;
            return new Reminder(NotificationKinds.MilestoneDue, $"milestone:{milestone.Id}:{date}", milestone.ChallengeId, milestone.ChallengeTitle,
                $"里程碑：{milestone.Name} · 到期日 {date}{(overdue ? "（已逾期）" : "")}",
                $"Milestone: {milestone.Name} · due {date}{(overdue ? " (overdue)" : "")}",
                [Audience.MembersOf(milestone.VendorId), Audience.MembersOf(milestone.EnterpriseId)]);
        });
        return await SendAllAsync(reminders, cancellationToken);
    }

    /// <summary>"The deadline is near": within <see cref="ReminderSettings.DeadlineNearHours"/> hours, once per challenge and deadline.</summary>
    public async Task<int> SendDeadlineRemindersAsync(CancellationToken cancellationToken = default)
    {
        var now = runner.Now();
        var reminders = (await store.DueChallengesAsync(now, now.AddHours(settings.DeadlineNearHours), cancellationToken)).Select(challenge =>
            new Reminder(NotificationKinds.DeadlineNear,
                $"challenge:{challenge.Id}:{SubjectTime(challenge.DeadlineAt)}",
                challenge.Id, challenge.Title,
                // The deadline in each reader's terms: Beijing time for Chinese readers, UTC for English ones.
                DeadlineText(challenge.DeadlineAt, english: false), DeadlineText(challenge.DeadlineAt, english: true),
                [Audience.FollowersOf(challenge.Id), Audience.InvitedVendorsOf(challenge.Id)]));
        return await SendAllAsync(reminders, cancellationToken);
    }

    /// <summary>A moment in a reminder's subject key (UTC, to the minute): a moved date makes a new key.</summary>
    private static string SubjectTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    public static string DeadlineText(DateTimeOffset deadline, bool english) => english
        ? deadline.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC"
        : TimeZoneInfo.ConvertTime(deadline, Beijing).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "（北京时间）";

    private async Task<int> SendAllAsync(IEnumerable<Reminder> reminders, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var reminder in reminders)
        {
            if ((await runner.RunAsync(send, null, reminder, cancellationToken)).IsSuccess)
            {
                sent++;
            }
        }

        return sent;
    }
}

/// <summary>
/// The lifecycle's time-driven work brought up to date: closes challenges whose deadline has passed, then sends the
/// reminders now due (closing first, so a challenge past its deadline gets its "closed" notice, never a late
/// "deadline near"). Run by the scheduler and the CLI, never on a request.
/// </summary>
public sealed class LifecycleClockWork(Challenges.ChallengeCloser closer, DueReminders reminders)
{
    public async Task<(int Closed, int Reminded)> RunAsync(CancellationToken cancellationToken)
    {
        var closed = await closer.CloseDueChallengesAsync(cancellationToken);
        return (closed, await reminders.SendDueAsync(cancellationToken));
    }
}
