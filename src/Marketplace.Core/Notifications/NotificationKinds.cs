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
    public const string ChallengeClosedWithoutProposals = "challenge_closed_without_proposals";
    public const string ChallengeReopened = "challenge_reopened";
    public const string QuestionAsked = "question_asked";
    public const string QuestionAnswered = "question_answered";

    // Reminders: sent once per subject by the reminder run (DueReminders), not by a user's action.
    public const string DeadlineNear = "deadline_near";
    public const string MilestoneDue = "milestone_due";
    /// <summary>A reviewer's scores are due soon (or overdue); officers are told too once overdue.</summary>
    public const string ReviewDue = "review_due";
    /// <summary>Once a week, to each vendor: new challenges the matcher recommends for it (the "title" argument carries the count).</summary>
    public const string WeeklyDigest = "weekly_digest";
    // Delivery (milestones, stage adjustments, failure filings, portfolio consent).
    public const string DeliveryStarted = "delivery_started";
    public const string EvidenceSubmitted = "milestone_evidence_submitted";
    public const string MilestoneAccepted = "milestone_accepted";
    public const string MilestoneRejected = "milestone_rejected";
    public const string AdjustmentRequested = "stage_adjustment_requested";
    public const string AdjustmentApproved = "stage_adjustment_approved";
    public const string AdjustmentDeclined = "stage_adjustment_declined";
    public const string ProjectCompleted = "delivery_project_completed";
    public const string ProjectFailed = "delivery_project_failed";
    // Review and award.
    public const string ReviewAssigned = "review_assigned";
    public const string ReviewAssignmentRemoved = "review_assignment_removed";
    public const string ReviewConflictDeclared = "review_conflict_declared";
    /// <summary>To the officers, once per challenge: the optimiser proposed reviewers after closing; an officer confirms or edits the plan.</summary>
    public const string AssignmentProposed = "reviewer_assignment_proposed";
    public const string AwardWon = "award_won";
    public const string AwardNotWon = "award_not_won";
    public const string AwardDecided = "award_decided";
    public const string ReviewConcluded = "review_concluded";
}

/// <summary>
/// Values of notifications.delivery_status (migration 0007). Rows are written pending and stay so: the e-mail's own
/// state lives in email_outbox.status (Core/Features/Email/EmailStatus), one outbox row per mailed notification.
/// </summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}

/// <summary>
/// The page a notification (and its e-mail) opens: the page where its recipient acts on it, else the challenge, else
/// the notification list. Paths only; the e-mail adds the configured base URL.
/// </summary>
public static class NotificationLinks
{
    public static string PathFor(string kind, long? challengeId) => (kind, challengeId) switch
    {
        (NotificationKinds.AssignmentProposed, { } id) => $"/challenges/{id}/review/assignment-proposal",
        (NotificationKinds.ReviewConflictDeclared, { } id) => $"/challenges/{id}/review",
        (NotificationKinds.ReviewAssigned or NotificationKinds.ReviewAssignmentRemoved, _) => "/reviews",
        (_, { } id) => $"/challenges/{id}",
        _ => "/notifications",
    };
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

    private static string Line(string? text) => string.IsNullOrWhiteSpace(text) ? "" : "\n" + text;

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
            (NotificationKinds.ChallengeClosedWithoutProposals, true) => ($"截止时未收到方案：{challengeTitle}", $"榜单「{challengeTitle}」截止时没有收到任何方案，已结束且不授予。您可以在“我的榜单”中设定新的截止时间重新开放（作为新版本发布）。"),
            (NotificationKinds.ChallengeClosedWithoutProposals, false) => ($"No proposals: {challengeTitle}", $"\"{challengeTitle}\" received no proposals by its deadline and ended without an award. You can re-open it with a new deadline from My challenges; it is published again as a new version."),
            (NotificationKinds.ChallengeReopened, true) => ($"榜单重新开放：{challengeTitle}", $"榜单「{challengeTitle}」已重新开放征集方案。{why}"),
            (NotificationKinds.ChallengeReopened, false) => ($"Open again: {challengeTitle}", $"\"{challengeTitle}\" is open for proposals again.{why}"),
            (NotificationKinds.ChallengeWithdrawn, true) => ($"已撤回：{challengeTitle}", $"榜单「{challengeTitle}」已被发榜企业撤回。"),
            (NotificationKinds.ChallengeWithdrawn, false) => ($"Withdrawn: {challengeTitle}", $"The enterprise withdrew \"{challengeTitle}\"."),
            (NotificationKinds.QuestionAsked, true) => ($"新的澄清问题：{challengeTitle}", $"服务商就榜单「{challengeTitle}」提出了一个问题，请尽快答复。"),
            (NotificationKinds.QuestionAsked, false) => ($"New question: {challengeTitle}", $"A vendor asked a question about \"{challengeTitle}\". Please answer it."),
            (NotificationKinds.QuestionAnswered, true) => ($"问题已答复：{challengeTitle}", $"榜单「{challengeTitle}」发布了一条澄清答复。"),
            (NotificationKinds.QuestionAnswered, false) => ($"Question answered: {challengeTitle}", $"A clarification was published on \"{challengeTitle}\"."),
            (NotificationKinds.DeadlineNear, true) => ($"即将截止：{challengeTitle}", $"您关注的榜单「{challengeTitle}」即将截止，请在截止前提交或更新方案；截止后无法再提交。{When(reason, true)}"),
            (NotificationKinds.MilestoneDue, true) => ($"里程碑即将到期：{challengeTitle}", $"榜单「{challengeTitle}」交付项目的一个里程碑即将到期（或已逾期），请按时提交交付证明；如需变更日期，请申请阶段调整。{Line(reason)}"),
            (NotificationKinds.ReviewDue, true) => ($"评审即将到期：{challengeTitle}", $"榜单「{challengeTitle}」的技术方案评分即将到期（或已逾期），请在“我的评审”中完成评分；如有利益冲突请申报。{Line(reason)}"),
            (NotificationKinds.ReviewDue, false) => ($"Reviews due: {challengeTitle}", $"Scores for the technical proposals to \"{challengeTitle}\" are due soon (or overdue). Score them under My reviews, or declare a conflict of interest.{Line(reason)}"),
            (NotificationKinds.MilestoneDue, false) => ($"Milestone due: {challengeTitle}", $"A milestone of the delivery of \"{challengeTitle}\" is due soon (or overdue). Submit its evidence on time, or request a stage adjustment to move the date.{Line(reason)}"),
            (NotificationKinds.DeadlineNear, false) => ($"Deadline near: {challengeTitle}", $"\"{challengeTitle}\", which you follow, closes soon. Submit or update your proposal before the deadline; nothing can be submitted after it.{When(reason, false)}"),
            (NotificationKinds.WeeklyDigest, true) => ($"本周为您推荐 {challengeTitle} 个新榜单", $"根据贵单位的能力档案，本周新发布的以下榜单与您匹配：{Line(reason)}"),
            (NotificationKinds.WeeklyDigest, false) => ($"{challengeTitle} new challenge(s) recommended for you this week", $"Published this week and matching your organisation's profile:{Line(reason)}"),
            // Delivery: the reason carries the milestone, decision or cause the recipient needs.
            (NotificationKinds.DeliveryStarted, true) => ($"交付启动：{challengeTitle}", $"榜单「{challengeTitle}」已签约并启动交付，请查看里程碑计划。"),
            (NotificationKinds.DeliveryStarted, false) => ($"Delivery started: {challengeTitle}", $"The contract for \"{challengeTitle}\" is signed and delivery has started; see the milestone plan."),
            (NotificationKinds.EvidenceSubmitted, true) => ($"待验收：{challengeTitle}", $"服务商提交了里程碑交付证明，请对照验收指标进行验收。{why}"),
            (NotificationKinds.EvidenceSubmitted, false) => ($"Evidence to sign off: {challengeTitle}", $"The vendor submitted evidence for a milestone of \"{challengeTitle}\"; check it against the acceptance targets.{why}"),
            (NotificationKinds.MilestoneAccepted, true) => ($"里程碑已验收：{challengeTitle}", $"榜单「{challengeTitle}」的一个里程碑已通过验收，对应付款比例已记录为释放。{why}"),
            (NotificationKinds.MilestoneAccepted, false) => ($"Milestone accepted: {challengeTitle}", $"A milestone of \"{challengeTitle}\" was accepted; its payment share is recorded as released.{why}"),
            (NotificationKinds.MilestoneRejected, true) => ($"里程碑未通过验收：{challengeTitle}", $"企业未接受榜单「{challengeTitle}」一个里程碑的交付证明，请补充后重新提交。{why}"),
            (NotificationKinds.MilestoneRejected, false) => ($"Milestone evidence rejected: {challengeTitle}", $"The enterprise rejected the evidence for a milestone of \"{challengeTitle}\"; submit it again.{why}"),
            (NotificationKinds.AdjustmentRequested, true) => ($"阶段调整申请：{challengeTitle}", $"榜单「{challengeTitle}」的交付项目提出了阶段调整申请，待项目办审批。{why}"),
            (NotificationKinds.AdjustmentRequested, false) => ($"Stage adjustment requested: {challengeTitle}", $"A stage adjustment was requested for the delivery of \"{challengeTitle}\"; the programme office decides.{why}"),
            (NotificationKinds.AdjustmentApproved, true) => ($"阶段调整已批准：{challengeTitle}", $"项目办批准了榜单「{challengeTitle}」的阶段调整申请，里程碑按新计划执行。{why}"),
            (NotificationKinds.AdjustmentApproved, false) => ($"Stage adjustment approved: {challengeTitle}", $"The programme office approved the stage adjustment for \"{challengeTitle}\"; the milestones follow the new plan.{why}"),
            (NotificationKinds.AdjustmentDeclined, true) => ($"阶段调整未获批准：{challengeTitle}", $"项目办未批准榜单「{challengeTitle}」的阶段调整申请，原计划不变。{why}"),
            (NotificationKinds.AdjustmentDeclined, false) => ($"Stage adjustment declined: {challengeTitle}", $"The programme office declined the stage adjustment for \"{challengeTitle}\"; the plan stays as it was.{why}"),
            (NotificationKinds.ProjectCompleted, true) => ($"交付完成：{challengeTitle}", $"榜单「{challengeTitle}」的交付项目所有里程碑均已验收，项目完成。"),
            (NotificationKinds.ProjectCompleted, false) => ($"Delivery completed: {challengeTitle}", $"Every milestone of the delivery of \"{challengeTitle}\" is accepted; the project is completed."),
            (NotificationKinds.ProjectFailed, true) => ($"失败备案：{challengeTitle}", $"项目办已为榜单「{challengeTitle}」的交付项目完成失败备案，项目关闭，不作为对服务商的负面记录。{why}"),
            (NotificationKinds.ProjectFailed, false) => ($"Failure filed: {challengeTitle}", $"The programme office filed the delivery of \"{challengeTitle}\" as failed; the project is closed without penalty to the vendor.{why}"),

            // Review and award. For award_not_won the "reason" is the programme office's written feedback.
            (NotificationKinds.ReviewAssigned, true) => ($"评审邀请：{challengeTitle}", $"项目办邀请您评审榜单「{challengeTitle}」的技术方案。请在“我的评审”中接受或申报利益冲突。"),
            (NotificationKinds.ReviewAssigned, false) => ($"Review assignment: {challengeTitle}", $"The programme office asks you to review technical proposals to \"{challengeTitle}\". Accept or declare a conflict of interest under My reviews."),
            (NotificationKinds.AssignmentProposed, true) => ($"评审指派待确认：{challengeTitle}", $"榜单「{challengeTitle}」已截止，系统已为其方案提出评审人指派建议。请查看建议、调整后确认；确认前不会通知任何评审人。{Line(reason)}"),
            (NotificationKinds.AssignmentProposed, false) => ($"Reviewers proposed: {challengeTitle}", $"\"{challengeTitle}\" has closed and the optimiser proposed reviewers for its proposals. Check the plan, edit it if needed and confirm it; no reviewer is told before you confirm.{Line(reason)}"),
            (NotificationKinds.ReviewAssignmentRemoved, true) => ($"评审任务已撤销：{challengeTitle}", $"项目办撤销了您对榜单「{challengeTitle}」的一项评审任务。"),
            (NotificationKinds.ReviewAssignmentRemoved, false) => ($"Review assignment removed: {challengeTitle}", $"The programme office removed one of your review assignments for \"{challengeTitle}\"."),
            (NotificationKinds.ReviewConflictDeclared, true) => ($"评审人申报利益冲突：{challengeTitle}", $"一位评审人就榜单「{challengeTitle}」的一份方案申报了利益冲突，请另行指派评审人。{why}"),
            (NotificationKinds.ReviewConflictDeclared, false) => ($"Conflict of interest declared: {challengeTitle}", $"A reviewer declared a conflict of interest with a proposal to \"{challengeTitle}\"; please assign someone else.{why}"),
            (NotificationKinds.AwardWon, true) => ($"揭榜成功：{challengeTitle}", $"恭喜！您的方案在榜单「{challengeTitle}」中入选。{why}"),
            (NotificationKinds.AwardWon, false) => ($"Your proposal won: {challengeTitle}", $"Congratulations: your proposal to \"{challengeTitle}\" was selected.{why}"),
            (NotificationKinds.AwardNotWon, true) => ($"评审结果：{challengeTitle}", $"您对榜单「{challengeTitle}」的方案未入选。项目办的书面反馈：\n{reason}"),
            (NotificationKinds.AwardNotWon, false) => ($"Review outcome: {challengeTitle}", $"Your proposal to \"{challengeTitle}\" was not selected. The programme office's written feedback:\n{reason}"),
            (NotificationKinds.AwardDecided, true) => ($"评审决定：{challengeTitle}", $"项目办已就榜单「{challengeTitle}」作出评审决定，请查看结果。{why}"),
            (NotificationKinds.AwardDecided, false) => ($"Decision recorded: {challengeTitle}", $"The programme office recorded its decision on \"{challengeTitle}\"; see the outcome.{why}"),
            (NotificationKinds.ReviewConcluded, true) => ($"评审已结束：{challengeTitle}", $"榜单「{challengeTitle}」已作出评审决定，感谢您的评审。"),
            (NotificationKinds.ReviewConcluded, false) => ($"Review concluded: {challengeTitle}", $"The programme office decided on \"{challengeTitle}\". Thank you for your review."),
            _ => (challengeTitle, kind),
        };
    }
}
