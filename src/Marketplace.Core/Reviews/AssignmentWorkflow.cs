using Marketplace.Core.Common;

namespace Marketplace.Core.Reviews;

/// <summary>Where a reviewer's assignment to one proposal is. Stored as the snake_case name.</summary>
public static class AssignmentStatus
{
    public const string Assigned = "assigned";
    public const string Accepted = "accepted";
    public const string ConflictDeclared = "conflict_declared";
    public const string Removed = "removed";

    /// <summary>An assignment that still counts against the reviewer's load and blocks a duplicate.</summary>
    public static bool IsLive(string status) => status is Assigned or Accepted;
}

/// <summary>What the challenge's audit log records for the review and award steps (besides the challenge's own moves).</summary>
public static class ReviewActions
{
    public const string ReviewerAssigned = "reviewer_assigned";
    public const string AssignmentPlanApplied = "reviewer_assignment_applied";
    public const string ReviewerRemoved = "reviewer_removed";
    public const string ReviewAccepted = "review_accepted";
    public const string ConflictDeclared = "conflict_declared";
    public const string RubricChanged = "rubric_changed";
    public const string QuotaChanged = "award_quota_changed";
    public const string ScoringClosed = "technical_scoring_closed";
}

/// <summary>A move of an assignment: the states before and after, and the reason (a declared conflict's).</summary>
public sealed record AssignmentMove(string From, string To, string? Reason = null);

/// <summary>
/// The assignment state machine: assigned → accepted (the reviewer takes it on), assigned or accepted →
/// conflict_declared (with a reason; the assignment no longer counts), assigned or accepted → removed (by an
/// officer, only while it has no scores). No move is possible once technical scoring has closed.
/// </summary>
public static class AssignmentWorkflow
{
    public const int MaxReasonLength = 2000;

    public static Result<AssignmentMove> Accept(string status, bool scoringClosed)
    {
        if (scoringClosed)
        {
            return Error.Conflict("Technical scoring of this challenge has closed.");
        }

        return status switch
        {
            AssignmentStatus.Assigned => new AssignmentMove(status, AssignmentStatus.Accepted),
            AssignmentStatus.Accepted => Error.Conflict("You have already accepted this review."),
            _ => Error.Conflict("This assignment is no longer open."),
        };
    }

    public static Result<AssignmentMove> DeclareConflict(string status, bool scoringClosed, string? reason)
    {
        if (scoringClosed)
        {
            return Error.Conflict("Technical scoring of this challenge has closed.");
        }

        if (!AssignmentStatus.IsLive(status))
        {
            return Error.Conflict("This assignment is no longer open.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Invalid("reason", "Say what the conflict of interest is; the programme office reads it.");
        }

        if (reason.Trim().Length > MaxReasonLength)
        {
            return Error.Invalid("reason", $"The reason must be at most {MaxReasonLength} characters.");
        }

        return new AssignmentMove(status, AssignmentStatus.ConflictDeclared, reason.Trim());
    }

    public static Result<AssignmentMove> Remove(string status, bool scoringClosed, int scoreCount)
    {
        if (scoringClosed)
        {
            return Error.Conflict("Technical scoring of this challenge has closed.");
        }

        if (!AssignmentStatus.IsLive(status))
        {
            return Error.Conflict("This assignment is no longer open.");
        }

        return scoreCount > 0
            ? Error.Conflict("The reviewer has already recorded scores for this proposal; an assignment with scores cannot be removed.")
            : new AssignmentMove(status, AssignmentStatus.Removed);
    }

    /// <summary>Only an accepted assignment may be scored, and only while technical scoring is open.</summary>
    public static Error? MayScore(string status, bool scoringClosed) =>
        scoringClosed ? Error.Conflict("Technical scoring of this challenge has closed; scores can no longer change.")
        : status == AssignmentStatus.Accepted ? null
        : status == AssignmentStatus.Assigned ? Error.Conflict("Accept the review (or declare a conflict of interest) before scoring.")
        : Error.Conflict("This assignment is no longer open.");
}
