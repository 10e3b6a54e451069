using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Reviews;

namespace Marketplace.Core.Features.Reviews;

/// <summary>
/// Review settings: `Review:MaxOpenAssignmentsPerReviewer` (the load cap, for manual and automatic assignment alike),
/// `Review:ReviewersPerProposal` (k of automatic assignment) and `Awards:DefaultQuota` in configuration.
/// </summary>
public sealed record ReviewOptions
{
    public const int DefaultMaxOpenAssignments = 15;
    public const int DefaultReviewersPerProposal = 3;

    public int MaxOpenAssignmentsPerReviewer { get; init; } = DefaultMaxOpenAssignments;

    /// <summary>How many reviewers automatic assignment gives each proposal (reviewers already on it count).</summary>
    public int ReviewersPerProposal { get; init; } = DefaultReviewersPerProposal;
    public int DefaultAwardQuota { get; init; } = Awards.AwardRules.DefaultQuota;

    public const int DefaultDaysToScore = 10;

    /// <summary>A reviewer's scores are due this many days after the assignment is made (its due date, reminded by the lifecycle clock).</summary>
    public int DaysToScore { get; init; } = DefaultDaysToScore;

    /// <summary>
    /// What the scheduler does when a challenge with proposals closes (`Review:AssignmentAfterClosing`):
    /// <see cref="AssignmentAfterClosingModes.Propose"/> (default) tells the officers a plan is ready for them to confirm or
    /// edit; <see cref="AssignmentAfterClosingModes.Apply"/> applies the optimal plan as the system straight away.
    /// </summary>
    public string AssignmentAfterClosing { get; init; } = AssignmentAfterClosingModes.Propose;

    /// <summary>When the scores of an assignment made at <paramref name="assignedAt"/> are due.</summary>
    public DateTimeOffset ScoresDueAt(DateTimeOffset assignedAt) => assignedAt.AddDays(DaysToScore);
}

/// <summary>The values of `Review:AssignmentAfterClosing`.</summary>
public static class AssignmentAfterClosingModes
{
    public const string Propose = "propose";
    public const string Apply = "apply";

    public static IReadOnlyList<string> All { get; } = [Propose, Apply];
}

/// <summary>
/// Who may do what in review and award: the one place these rules live. A programme officer runs the review of a
/// challenge (anyone else who may see the challenge is Forbidden; anyone who may not is told it does not exist); an
/// assignment exists only for its reviewer; a reviewer reads only the technical envelope of an assignment they
/// accepted; the ranking of a decided challenge is shared with its enterprise and the officers. Use cases, the review
/// reads and the pages all ask here.
/// </summary>
public static class ReviewPolicy
{
    public const string ScoringClosed = "Technical scoring of this challenge has closed.";

    /// <summary>Programme officers run review and award (administrators do not).</summary>
    public static bool RunsReview(Actor? actor) => actor is not null && actor.Roles.Contains(Roles.Officer);

    public static bool IsReviewer(Actor? actor) => actor is not null && actor.Roles.Contains(Roles.Reviewer);

    /// <summary>Authorises an officer's review step on a challenge.</summary>
    public static Error? AsOfficer(Actor? actor, ChallengeState? challenge, long challengeId) =>
        challenge is null ? ChallengePolicy.NotFound(challengeId) : AsOfficer(actor, challenge.Status, challenge.EnterpriseId, challengeId);

    /// <summary>Authorises an officer's review step on a challenge known by its status and enterprise.</summary>
    public static Error? AsOfficer(Actor? actor, string status, long enterpriseId, long challengeId)
    {
        if (RunsReview(actor))
        {
            return null;
        }

        return ChallengePolicy.IsPubliclyVisible(status) || (actor is not null && (actor.IsProgrammeStaff || actor.BelongsTo(enterpriseId)))
            ? Error.Forbidden("Only a programme officer runs the review of a challenge.")
            : ChallengePolicy.NotFound(challengeId);
    }

    /// <summary>An assignment exists only for the reviewer it belongs to (another reviewer's is NotFound, not Forbidden).</summary>
    public static Error? AsAssignedReviewer(Actor? actor, long? reviewerUserId, long assignmentId) =>
        reviewerUserId is { } owner && actor is not null && owner == actor.UserId && IsReviewer(actor) ? null : NotFound(assignmentId);

    /// <summary>The reviewer reads a proposal's technical envelope (never its price) once they accepted the assignment.</summary>
    public static bool MayReadTechnical(Actor? actor, long reviewerUserId, string assignmentStatus) =>
        AsAssignedReviewer(actor, reviewerUserId, 0) is null && assignmentStatus == AssignmentStatus.Accepted;

    /// <summary>The ranking behind a decision (weighted totals, means) is for the challenge's enterprise and the officers.</summary>
    public static bool SeesRanking(Actor? actor, long enterpriseId) => RunsReview(actor) || ChallengePolicy.Owns(actor, enterpriseId);

    public static Error NotFound(long assignmentId) => Error.NotFound($"There is no review assignment {assignmentId}.");
}
