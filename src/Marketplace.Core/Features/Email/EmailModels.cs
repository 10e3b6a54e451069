using Marketplace.Core.Notifications;

namespace Marketplace.Core.Features.Email;

/// <summary>States of an email_outbox row (sql/*/0014_email_outbox.sql).</summary>
public static class EmailStatus
{
    /// <summary>To send: the dispatcher claims it once next_attempt_at has come.</summary>
    public const string Pending = "pending";
    public const string Sent = "sent";
    /// <summary>Gave up after Email:MaxAttempts failures; an administrator may retry it.</summary>
    public const string Dead = "dead";
    /// <summary>Not sent because the recipient turned this kind, or all e-mail, off.</summary>
    public const string Suppressed = "suppressed";
    /// <summary>Waits for the recipient's daily digest.</summary>
    public const string Digest = "digest";
    /// <summary>Went out inside a digest (digest_id names it).</summary>
    public const string Digested = "digested";

    public static IReadOnlyList<string> All { get; } = [Pending, Sent, Dead, Suppressed, Digest, Digested];
}

/// <summary>How a user receives e-mail: one mail per notification, or one daily digest.</summary>
public static class EmailMode
{
    public const string EachNotification = "single";
    public const string Digest = "digest";
}

/// <summary>The kind of an outbox row that carries a daily digest rather than one notification.</summary>
public static class EmailKinds
{
    public const string Digest = "digest";

    /// <summary>Every notification kind a user may turn on or off for e-mail, in the order the preferences page lists them.</summary>
    public static IReadOnlyList<string> Notifiable { get; } =
    [
        NotificationKinds.ChallengeSubmitted, NotificationKinds.ChallengePublished, NotificationKinds.ChallengeReturned,
        NotificationKinds.ChallengeRejected, NotificationKinds.ChallengeRevised, NotificationKinds.ChallengeClosed,
        NotificationKinds.ChallengeWithdrawn, NotificationKinds.ChallengeClosedWithoutProposals, NotificationKinds.ChallengeReopened,
        NotificationKinds.QuestionAsked, NotificationKinds.QuestionAnswered, NotificationKinds.DeadlineNear, NotificationKinds.MilestoneDue,
        NotificationKinds.ReviewDue,
        NotificationKinds.ReviewAssigned, NotificationKinds.ReviewAssignmentRemoved, NotificationKinds.ReviewConflictDeclared, NotificationKinds.AssignmentProposed,
        NotificationKinds.AwardWon, NotificationKinds.AwardNotWon, NotificationKinds.AwardDecided, NotificationKinds.ReviewConcluded,
        NotificationKinds.DeliveryStarted, NotificationKinds.EvidenceSubmitted, NotificationKinds.MilestoneAccepted,
        NotificationKinds.MilestoneRejected, NotificationKinds.AdjustmentRequested, NotificationKinds.AdjustmentApproved,
        NotificationKinds.AdjustmentDeclined, NotificationKinds.ProjectCompleted, NotificationKinds.ProjectFailed,
        NotificationKinds.WeeklyDigest,
    ];

    /// <summary>A short name of the kind in the reader's language: the notification's own title without the challenge.</summary>
    public static string Label(string kind, string language)
    {
        // The digest's title carries a count where others carry a challenge title: it gets a name of its own.
        if (kind == NotificationKinds.WeeklyDigest)
        {
            return language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "每周推荐榜单" : "Weekly recommended challenges";
        }

        var (title, _) = NotificationText.For(kind, language, "");
        return title.TrimEnd().TrimEnd(':', '：').Trim();
    }
}

/// <summary>A user's e-mail preferences; a user without a stored row has the defaults (everything on, single mails).</summary>
public sealed record EmailPreferences(string Mode, bool Unsubscribed, IReadOnlySet<string> KindsOff)
{
    public static EmailPreferences Default { get; } = new(EmailMode.EachNotification, false, new HashSet<string>());

    public bool Wants(string kind) => !Unsubscribed && !KindsOff.Contains(kind);

    /// <summary>The status a new outbox row of this kind starts in for this user.</summary>
    public string StatusFor(string kind) =>
        !Wants(kind) ? EmailStatus.Suppressed : Mode == EmailMode.Digest ? EmailStatus.Digest : EmailStatus.Pending;
}

/// <summary>When a failed message is tried again: exponential backoff from a base delay, capped.</summary>
public static class EmailBackoff
{
    /// <summary>
    /// The delay after the <paramref name="attempts"/>-th failed attempt (1-based): base, 2×base, 4×base … at most
    /// <paramref name="cap"/>.
    /// </summary>
    public static TimeSpan After(int attempts, TimeSpan baseDelay, TimeSpan cap)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var delay = TimeSpan.FromTicks(baseDelay.Ticks * (1L << exponent));
        return delay > cap || delay < TimeSpan.Zero ? cap : delay;
    }
}

/// <summary>A message waiting in the outbox as the admin page lists it.</summary>
public sealed record OutboxMessage
{
    public long Id { get; init; }
    public long RecipientUserId { get; init; }
    public string RecipientAddress { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Subject { get; init; } = "";
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public string MessageId { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>How many outbox rows are in each status.</summary>
public sealed record OutboxStatusCount(string Status, int Count);

/// <summary>The administrator's view of the outbox: counts per status and the dead letters, newest first.</summary>
public sealed record OutboxOverview(IReadOnlyList<OutboxStatusCount> Counts, IReadOnlyList<OutboxMessage> DeadLetters);
