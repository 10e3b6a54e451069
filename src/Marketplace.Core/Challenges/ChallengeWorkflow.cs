using Marketplace.Core.Common;

namespace Marketplace.Core.Challenges;

/// <summary>What the audit log records as the "what" of a change to a challenge.</summary>
public static class ChallengeActions
{
    public const string Created = "created";
    public const string Edited = "edited";
    public const string Revised = "revised";
    public const string SubmittedForScreening = "submitted_for_screening";
    public const string ReturnedForChanges = "returned_for_changes";
    public const string Rejected = "rejected";
    public const string Published = "published";
    public const string Withdrawn = "withdrawn";
    public const string Closed = "closed";
    public const string ReviewStarted = "review_started";
    public const string Awarded = "awarded";
    public const string NotAwarded = "not_awarded";
    public const string ClosedWithoutProposals = "closed_without_proposals";
    public const string Reopened = "reopened";
    public const string DeliveryStarted = "delivery_started";
    public const string Completed = "completed";
    public const string Failed = "failed";

    // Recorded in the audit log without changing the state.
    public const string NdaAccepted = "nda_accepted";
}

/// <summary>A move the workflow allowed: the action, the states before and after, and the reason given (if any).</summary>
public sealed record ChallengeTransition(string Action, string From, string To, string? Reason = null);

/// <summary>One row of the transition table: from a state, an action leads to a state.</summary>
public sealed record AllowedMove(string From, string Action, string To);

/// <summary>
/// The challenge state machine, in one place. Each allowed move is one method that checks its preconditions
/// (state, reasons, the deadline against the injected clock) and returns the transition to apply, or a Conflict
/// (illegal move) / Invalid (missing reason) error. It changes nothing itself: the caller stores the transition,
/// its audit entry and its notifications in one transaction.
/// </summary>
public static class ChallengeWorkflow
{
    public const int MaxReasonLength = 2000;

    /// <summary>The reason recorded when a challenge ends because no proposal arrived (shown translated on the pages).</summary>
    public const string NoProposalsReason = "No proposals arrived by the deadline.";

    /// <summary>Every allowed move. Anything not listed here is refused with a Conflict.</summary>
    public static IReadOnlyList<AllowedMove> Moves { get; } =
    [
        new(ChallengeStatus.Draft, ChallengeActions.SubmittedForScreening, ChallengeStatus.Submitted),
        new(ChallengeStatus.Returned, ChallengeActions.SubmittedForScreening, ChallengeStatus.Submitted),
        new(ChallengeStatus.Submitted, ChallengeActions.ReturnedForChanges, ChallengeStatus.Returned),
        new(ChallengeStatus.Submitted, ChallengeActions.Rejected, ChallengeStatus.Rejected),
        new(ChallengeStatus.Submitted, ChallengeActions.Published, ChallengeStatus.Published),
        new(ChallengeStatus.Draft, ChallengeActions.Withdrawn, ChallengeStatus.Withdrawn),
        new(ChallengeStatus.Submitted, ChallengeActions.Withdrawn, ChallengeStatus.Withdrawn),
        new(ChallengeStatus.Returned, ChallengeActions.Withdrawn, ChallengeStatus.Withdrawn),
        new(ChallengeStatus.Published, ChallengeActions.Withdrawn, ChallengeStatus.Withdrawn),
        new(ChallengeStatus.Published, ChallengeActions.Closed, ChallengeStatus.Closed),
        // No proposal by the deadline: nothing to review, so it ends at once (closed ones from before this rule too).
        new(ChallengeStatus.Published, ChallengeActions.ClosedWithoutProposals, ChallengeStatus.NotAwarded),
        new(ChallengeStatus.Closed, ChallengeActions.ClosedWithoutProposals, ChallengeStatus.NotAwarded),
        // ...and its enterprise may open it again with a new deadline, as a new published version.
        new(ChallengeStatus.NotAwarded, ChallengeActions.Reopened, ChallengeStatus.Published),
        new(ChallengeStatus.Closed, ChallengeActions.ReviewStarted, ChallengeStatus.UnderReview),
        new(ChallengeStatus.UnderReview, ChallengeActions.Awarded, ChallengeStatus.Awarded),
        new(ChallengeStatus.UnderReview, ChallengeActions.NotAwarded, ChallengeStatus.NotAwarded),
        new(ChallengeStatus.Awarded, ChallengeActions.DeliveryStarted, ChallengeStatus.InDelivery),
        new(ChallengeStatus.InDelivery, ChallengeActions.Completed, ChallengeStatus.Completed),
        new(ChallengeStatus.InDelivery, ChallengeActions.Failed, ChallengeStatus.Failed),
    ];

    /// <summary>States in which the enterprise may change the text freely (no version is kept).</summary>
    public static bool IsEditableDraft(string status) => status is ChallengeStatus.Draft or ChallengeStatus.Returned;

    /// <summary>Whether vendors may still ask questions, accept the NDA or (later) bid.</summary>
    public static bool IsOpen(string status, DateTimeOffset deadlineAt, DateTimeOffset now) =>
        status == ChallengeStatus.Published && deadlineAt > now;

    public static Result<ChallengeTransition> SubmitForScreening(string status, DateTimeOffset deadlineAt, DateTimeOffset now)
    {
        var move = Move(status, ChallengeActions.SubmittedForScreening, null, "Only a draft or a challenge returned for changes can be submitted for screening.");
        if (move.IsSuccess && deadlineAt <= now)
        {
            return Error.Invalid("deadlineAt", "The deadline has passed: choose a new deadline in the future before submitting.");
        }

        return move;
    }

    public static Result<ChallengeTransition> ReturnForChanges(string status, string? reason) =>
        WithReason(Move(status, ChallengeActions.ReturnedForChanges, null, "Only a challenge submitted for screening can be returned for changes."), reason, "Say what the enterprise should change.");

    public static Result<ChallengeTransition> Reject(string status, string? reason) =>
        WithReason(Move(status, ChallengeActions.Rejected, null, "Only a challenge submitted for screening can be rejected."), reason, "Give the reason for rejecting the challenge; the enterprise will see it.");

    /// <summary>
    /// Publishing needs a deadline still in the future and, when the negative list flagged the text, an override
    /// reason from the officer (which the audit log keeps).
    /// </summary>
    public static Result<ChallengeTransition> Publish(string status, DateTimeOffset deadlineAt, DateTimeOffset now, int negativeListFlags, string? overrideReason)
    {
        var allowed = Move(status, ChallengeActions.Published, null, "Only a challenge submitted for screening can be published.");
        if (!allowed.IsSuccess)
        {
            return allowed;
        }

        if (deadlineAt <= now)
        {
            return Error.Conflict("The deadline of this challenge has passed; return it so the enterprise can set a new one.");
        }

        // An override reason is kept (audit log) even when nothing was flagged: the same limit applies to it.
        if (overrideReason is { Length: > MaxReasonLength })
        {
            return Error.Invalid("overrideReason", $"The reason must be at most {MaxReasonLength} characters.");
        }

        if (negativeListFlags > 0)
        {
            if (RequireReason(overrideReason, "The negative list flagged this challenge: give an override reason to publish it anyway.", "overrideReason") is { } error)
            {
                return error;
            }

            return allowed.Value! with { Reason = overrideReason!.Trim() };
        }

        return allowed.Value! with { Reason = string.IsNullOrWhiteSpace(overrideReason) ? null : overrideReason.Trim() };
    }

    /// <summary>The enterprise withdraws; a reason is optional, but when given it is held to the same limit as every other.</summary>
    public static Result<ChallengeTransition> Withdraw(string status, string? reason = null)
    {
        var move = Move(status, ChallengeActions.Withdrawn, null, "This challenge can no longer be withdrawn.");
        if (!move.IsSuccess || string.IsNullOrWhiteSpace(reason))
        {
            return move;
        }

        return reason.Length > MaxReasonLength
            ? Error.Invalid("reason", $"The reason must be at most {MaxReasonLength} characters.")
            : move.Value! with { Reason = reason.Trim() };
    }

    /// <summary>Closing happens when the deadline has passed, never before.</summary>
    public static Result<ChallengeTransition> Close(string status, DateTimeOffset deadlineAt, DateTimeOffset now)
    {
        if (status == ChallengeStatus.Published && deadlineAt > now)
        {
            return Error.Conflict("The challenge closes at its deadline, which has not passed yet.");
        }

        return Move(status, ChallengeActions.Closed, null, "Only a published challenge can be closed.");
    }

    /// <summary>At the deadline with no submitted proposal the challenge ends without an award: a review of nothing is a dead end.</summary>
    public static Result<ChallengeTransition> CloseWithoutProposals(string status, DateTimeOffset deadlineAt, DateTimeOffset now)
    {
        if (status == ChallengeStatus.Published && deadlineAt > now)
        {
            return Error.Conflict("The challenge closes at its deadline, which has not passed yet.");
        }

        return Move(status, ChallengeActions.ClosedWithoutProposals, NoProposalsReason, "Only a published or closed challenge can end for lack of proposals.");
    }

    /// <summary>
    /// A challenge that ended because nobody bid may open again with a new deadline in the future. One that was
    /// reviewed and not awarded may not: its bidders were told the outcome.
    /// </summary>
    public static Result<ChallengeTransition> Reopen(string status, int submittedProposals, DateTimeOffset? newDeadline, DateTimeOffset now)
    {
        var move = Move(status, ChallengeActions.Reopened, null, "Only a challenge that ended without proposals can be re-opened.");
        if (!move.IsSuccess)
        {
            return move;
        }

        if (submittedProposals > 0)
        {
            return Error.Conflict("This challenge received proposals and was decided; it cannot be re-opened. Create a new challenge instead.");
        }

        if (newDeadline is null)
        {
            return Error.Invalid("deadlineAt", "Choose the new deadline for proposals.");
        }

        if (newDeadline <= now)
        {
            return Error.Invalid("deadlineAt", "The deadline must be in the future.");
        }

        // The same bound as a draft's deadline: the year 9999 is a typing mistake, not a programme.
        return newDeadline > now.AddYears(ChallengeDraftRules.MaxDeadlineYears) ? Error.Invalid("deadlineAt", "The deadline must be within five years.") : move;
    }

    public static Result<ChallengeTransition> StartReview(string status) =>
        Move(status, ChallengeActions.ReviewStarted, null, "Only a closed challenge can go to review.");

    public static Result<ChallengeTransition> Award(string status) =>
        Move(status, ChallengeActions.Awarded, null, "Only a challenge under review can be awarded.");

    public static Result<ChallengeTransition> DeclineAward(string status, string? reason) =>
        WithReason(Move(status, ChallengeActions.NotAwarded, null, "Only a challenge under review can end without an award."), reason, "Give the reason for not awarding the challenge.");

    public static Result<ChallengeTransition> StartDelivery(string status) =>
        Move(status, ChallengeActions.DeliveryStarted, null, "Only an awarded challenge can start delivery.");

    public static Result<ChallengeTransition> Complete(string status) =>
        Move(status, ChallengeActions.Completed, null, "Only a challenge in delivery can be completed.");

    public static Result<ChallengeTransition> Fail(string status, string? reason) =>
        WithReason(Move(status, ChallengeActions.Failed, null, "Only a challenge in delivery can be filed as failed."), reason, "Give the cause of the failure.");

    /// <summary>
    /// Whether the text may be changed now: freely as a draft (or after being returned); as a new published version
    /// while the challenge is open. Under screening or after the deadline it is frozen.
    /// </summary>
    public static Result<bool> MayEdit(string status, DateTimeOffset deadlineAt, DateTimeOffset now) => status switch
    {
        ChallengeStatus.Draft or ChallengeStatus.Returned => false,
        ChallengeStatus.Published when deadlineAt > now => true,
        ChallengeStatus.Submitted => Error.Conflict("The challenge is being screened and cannot be changed now. Withdraw it or wait for the officer's decision."),
        _ => Error.Conflict("This challenge can no longer be changed."),
    };

    private static Result<ChallengeTransition> Move(string status, string action, string? reason, string refusal)
    {
        var move = Moves.FirstOrDefault(m => m.From == status && m.Action == action);
        return move is null
            ? Error.Conflict(refusal)
            : new ChallengeTransition(action, move.From, move.To, reason);
    }

    /// <summary>The state is checked first, so a wrong state is a Conflict even when the reason is missing too.</summary>
    private static Result<ChallengeTransition> WithReason(Result<ChallengeTransition> move, string? reason, string message)
    {
        if (!move.IsSuccess)
        {
            return move;
        }

        return RequireReason(reason, message) is { } error ? error : move.Value! with { Reason = reason!.Trim() };
    }

    private static Error? RequireReason(string? reason, string message, string field = "reason")
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Invalid(field, message);
        }

        return reason.Length > MaxReasonLength ? Error.Invalid(field, $"The reason must be at most {MaxReasonLength} characters.") : null;
    }
}
