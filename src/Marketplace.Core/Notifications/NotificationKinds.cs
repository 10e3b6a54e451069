namespace Marketplace.Core.Notifications;

/// <summary>What a notification is about; stored in notifications.kind.</summary>
public static class NotificationKinds
{
    public const string ChallengeSubmitted = "challenge_submitted";
    public const string ChallengePublished = "challenge_published";
    public const string ChallengeReturned = "challenge_returned";
    public const string ChallengeRejected = "challenge_rejected";
    public const string ChallengeRevised = "challenge_revised";
    public const string ChallengeClosed = "challenge_closed";
    public const string ChallengeWithdrawn = "challenge_withdrawn";
    public const string QuestionAsked = "question_asked";
    public const string QuestionAnswered = "question_answered";

    // Reminders: sent once per subject by the reminder run (DueReminders), not by a user's action.
    public const string DeadlineNear = "deadline_near";
}

/// <summary>Delivery states of the e-mail job (later work): rows start pending.</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}

/// <summary>A notification as its recipient reads it.</summary>
public sealed record NotificationItem
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public long? ChallengeId { get; init; }
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; init; }

    public bool IsRead => ReadAt is not null;
}

/// <summary>
/// The words of each notification in the recipient's language (zh-CN unless they chose English). Written when
/// the event happens, so the e-mail job sends exactly what the app shows.
/// </summary>
public static class NotificationText
{
    /// <summary>The "when" line of a reminder; the reminder passes the date as the reason text.</summary>
    private static string When(string? at, bool zh) =>
        string.IsNullOrWhiteSpace(at) ? "" : (zh ? $"\n截止时间：{at}" : $"\nDeadline: {at}");

    public static (string Title, string Body) For(string kind, string language, string challengeTitle, string? reason = null)
    {
        var zh = !language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        var why = string.IsNullOrWhiteSpace(reason) ? "" : (zh ? $"\n原因：{reason}" : $"\nReason: {reason}");
        return (kind, zh) switch
        {
            (NotificationKinds.ChallengeSubmitted, true) => ($"待审核：{challengeTitle}", $"企业提交了榜单「{challengeTitle}」，请进行审核。"),
            (NotificationKinds.ChallengeSubmitted, false) => ($"To screen: {challengeTitle}", $"An enterprise submitted \"{challengeTitle}\" for screening."),
            (NotificationKinds.ChallengePublished, true) => ($"已发布：{challengeTitle}", $"您的榜单「{challengeTitle}」已通过审核并发布。"),
            (NotificationKinds.ChallengePublished, false) => ($"Published: {challengeTitle}", $"Your challenge \"{challengeTitle}\" passed screening and is published."),
            (NotificationKinds.ChallengeReturned, true) => ($"退回修改：{challengeTitle}", $"项目办将榜单「{challengeTitle}」退回修改。{why}"),
            (NotificationKinds.ChallengeReturned, false) => ($"Returned for changes: {challengeTitle}", $"The programme office returned \"{challengeTitle}\" for changes.{why}"),
            (NotificationKinds.ChallengeRejected, true) => ($"未通过审核：{challengeTitle}", $"榜单「{challengeTitle}」未通过审核。{why}"),
            (NotificationKinds.ChallengeRejected, false) => ($"Rejected: {challengeTitle}", $"The programme office rejected \"{challengeTitle}\".{why}"),
            (NotificationKinds.ChallengeRevised, true) => ($"榜单已更新：{challengeTitle}", $"您关注的榜单「{challengeTitle}」发布了新版本，请查看变更。{why}"),
            (NotificationKinds.ChallengeRevised, false) => ($"Challenge updated: {challengeTitle}", $"\"{challengeTitle}\" has a new published version; please review the changes.{why}"),
            (NotificationKinds.ChallengeClosed, true) => ($"已截止：{challengeTitle}", $"榜单「{challengeTitle}」已到截止时间，停止征集方案。"),
            (NotificationKinds.ChallengeClosed, false) => ($"Closed: {challengeTitle}", $"The deadline of \"{challengeTitle}\" has passed; it no longer accepts proposals."),
            (NotificationKinds.ChallengeWithdrawn, true) => ($"已撤回：{challengeTitle}", $"榜单「{challengeTitle}」已被发榜企业撤回。"),
            (NotificationKinds.ChallengeWithdrawn, false) => ($"Withdrawn: {challengeTitle}", $"The enterprise withdrew \"{challengeTitle}\"."),
            (NotificationKinds.QuestionAsked, true) => ($"新的澄清问题：{challengeTitle}", $"服务商就榜单「{challengeTitle}」提出了一个问题，请尽快答复。"),
            (NotificationKinds.QuestionAsked, false) => ($"New question: {challengeTitle}", $"A vendor asked a question about \"{challengeTitle}\". Please answer it."),
            (NotificationKinds.QuestionAnswered, true) => ($"问题已答复：{challengeTitle}", $"榜单「{challengeTitle}」发布了一条澄清答复。"),
            (NotificationKinds.QuestionAnswered, false) => ($"Question answered: {challengeTitle}", $"A clarification was published on \"{challengeTitle}\"."),
            (NotificationKinds.DeadlineNear, true) => ($"即将截止：{challengeTitle}", $"您关注的榜单「{challengeTitle}」即将截止，请在截止前提交或更新方案；截止后无法再提交。{When(reason, true)}"),
            (NotificationKinds.DeadlineNear, false) => ($"Deadline near: {challengeTitle}", $"\"{challengeTitle}\", which you follow, closes soon. Submit or update your proposal before the deadline; nothing can be submitted after it.{When(reason, false)}"),
            _ => (challengeTitle, kind),
        };
    }
}
