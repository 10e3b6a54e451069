using Marketplace.Core.Common;

namespace Marketplace.Core.Delivery;

/// <summary>What the audit log records for each delivery step (challenge_audit.action).</summary>
public static class DeliveryActions
{
    public const string EvidenceSubmitted = "milestone_evidence_submitted";
    public const string MilestoneAccepted = "milestone_accepted";
    public const string MilestoneRejected = "milestone_rejected";
    public const string AdjustmentRequested = "stage_adjustment_requested";
    public const string AdjustmentApproved = "stage_adjustment_approved";
    public const string AdjustmentDeclined = "stage_adjustment_declined";
    public const string ProjectCompleted = "delivery_project_completed";
    public const string ProjectFailed = "delivery_project_failed";
    public const string PortfolioConsentGranted = "portfolio_consent_granted";
    public const string PortfolioConsentDeclined = "portfolio_consent_declined";
}

/// <summary>A move of a milestone or project: the action, the states before and after, and the reason (if any).</summary>
public sealed record DeliveryMove(string Action, string From, string To, string? Reason = null);

/// <summary>One row of a transition table.</summary>
public sealed record DeliveryAllowedMove(string From, string Action, string To);

/// <summary>
/// The milestone state machine. Milestones may be worked in any order (a later one can be accepted before an earlier
/// one: real projects overlap); the project completes only when every milestone is accepted. Each method checks the
/// project is still active and the milestone is in a state the move starts from, and returns the move or a Conflict
/// (illegal move) / Invalid (missing or bad input). It changes nothing itself.
/// </summary>
public static class MilestoneWorkflow
{
    public const int MaxEvidenceLength = 8000;
    public const int MaxLinks = 20;
    public const int MaxLinkLength = 2000;
    public const int MaxNoteLength = 2000;

    public static IReadOnlyList<DeliveryAllowedMove> Moves { get; } =
    [
        new(MilestoneStatus.Pending, DeliveryActions.EvidenceSubmitted, MilestoneStatus.EvidenceSubmitted),
        new(MilestoneStatus.Rejected, DeliveryActions.EvidenceSubmitted, MilestoneStatus.EvidenceSubmitted),
        new(MilestoneStatus.EvidenceSubmitted, DeliveryActions.MilestoneAccepted, MilestoneStatus.Accepted),
        new(MilestoneStatus.EvidenceSubmitted, DeliveryActions.MilestoneRejected, MilestoneStatus.Rejected),
    ];

    /// <summary>A milestone's due date has passed and it is not accepted yet.</summary>
    public static bool IsOverdue(string status, DateOnly dueOn, DateOnly today) => status != MilestoneStatus.Accepted && dueOn < today;

    public static Result<DeliveryMove> SubmitEvidence(string projectStatus, string status, string? body, IReadOnlyList<string> links)
    {
        var move = Move(projectStatus, status, DeliveryActions.EvidenceSubmitted, status switch
        {
            MilestoneStatus.EvidenceSubmitted => "Evidence for this milestone awaits the enterprise's decision; submit again if it is rejected.",
            MilestoneStatus.Accepted => "This milestone is accepted; no more evidence is taken.",
            _ => "Evidence cannot be submitted for this milestone now.",
        });
        if (!move.IsSuccess)
        {
            return move;
        }

        var errors = new ValidationErrors().Require("body", body, "The evidence", MaxEvidenceLength);
        if (links.Count > MaxLinks)
        {
            errors.Add("links", $"Give at most {MaxLinks} links.");
        }

        foreach (var link in links)
        {
            if (link.Length > MaxLinkLength || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add("links", $"\"{Shorten(link)}\" is not a web address (http:// or https://).");
            }
        }

        return errors.IsEmpty ? move : errors.ToError();
    }

    /// <summary>
    /// Acceptance may note which of the challenge's acceptance targets (1-based positions) the evidence met.
    /// </summary>
    public static Result<DeliveryMove> Accept(string projectStatus, string status, string? note, IReadOnlyList<int> targetsMet, int targetCount)
    {
        var move = Move(projectStatus, status, DeliveryActions.MilestoneAccepted, NotAwaiting(status));
        if (!move.IsSuccess)
        {
            return move;
        }

        var errors = new ValidationErrors();
        if (note is { Length: > MaxNoteLength })
        {
            errors.Add("note", $"The note must be at most {MaxNoteLength} characters.");
        }

        if (targetsMet.Any(t => t < 1 || t > targetCount))
        {
            errors.Add("targetsMet", "Name only acceptance targets of this challenge.");
        }

        return errors.IsEmpty ? move.Value! with { Reason = Clean(note) } : errors.ToError();
    }

    public static Result<DeliveryMove> Reject(string projectStatus, string status, string? reason)
    {
        var move = Move(projectStatus, status, DeliveryActions.MilestoneRejected, NotAwaiting(status));
        if (!move.IsSuccess)
        {
            return move;
        }

        var errors = new ValidationErrors().Require("reason", reason, "The reason for rejecting the evidence", MaxNoteLength);
        return errors.IsEmpty ? move.Value! with { Reason = reason!.Trim() } : errors.ToError();
    }

    private static string NotAwaiting(string status) => status switch
    {
        MilestoneStatus.Accepted => "This milestone is already accepted.",
        MilestoneStatus.Rejected => "The evidence was rejected; wait for the vendor to submit again.",
        _ => "There is no evidence awaiting a decision on this milestone.",
    };

    private static Result<DeliveryMove> Move(string projectStatus, string status, string action, string refusal)
    {
        if (projectStatus != ProjectStatus.Active)
        {
            return Error.Conflict("This delivery project has ended; its milestones can no longer change.");
        }

        var move = Moves.FirstOrDefault(m => m.From == status && m.Action == action);
        return move is null ? Error.Conflict(refusal) : new DeliveryMove(action, move.From, move.To);
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

/// <summary>
/// The delivery project state machine: active → completed (automatically, when the last milestone is accepted) or
/// active → failed (a failure filing by the programme office, without penalty). And the challenge's outcome once
/// every project has ended: completed if at least one project completed, failed otherwise.
/// </summary>
public static class ProjectWorkflow
{
    public const int MaxFilingText = 4000;

    public static IReadOnlyList<DeliveryAllowedMove> Moves { get; } =
    [
        new(ProjectStatus.Active, DeliveryActions.ProjectCompleted, ProjectStatus.Completed),
        new(ProjectStatus.Active, DeliveryActions.ProjectFailed, ProjectStatus.Failed),
    ];

    public static bool IsEnded(string status) => status is ProjectStatus.Completed or ProjectStatus.Failed;

    /// <summary>After an acceptance: the completion move when every milestone is now accepted, otherwise null.</summary>
    public static DeliveryMove? CompletionAfter(string projectStatus, IReadOnlyCollection<string> milestoneStatuses) =>
        projectStatus == ProjectStatus.Active && milestoneStatuses.Count > 0 && milestoneStatuses.All(s => s == MilestoneStatus.Accepted)
            ? new DeliveryMove(DeliveryActions.ProjectCompleted, ProjectStatus.Active, ProjectStatus.Completed)
            : null;

    /// <summary>A failure filing: a known cause category, the cause and the lessons learned; only an active project can fail.</summary>
    public static Result<DeliveryMove> FileFailure(string projectStatus, string? category, string? cause, string? lessons)
    {
        if (projectStatus != ProjectStatus.Active)
        {
            return Error.Conflict(projectStatus == ProjectStatus.Failed
                ? "A failure filing for this project exists already."
                : "This project completed; a completed project cannot be filed as failed.");
        }

        var errors = new ValidationErrors();
        if (!FailureCategories.IsKnown(category))
        {
            errors.Add("category", "Choose the category of the cause.");
        }

        errors.Require("cause", cause, "The cause", MaxFilingText).Require("lessons", lessons, "The lessons learned", MaxFilingText);
        return errors.IsEmpty
            ? new DeliveryMove(DeliveryActions.ProjectFailed, ProjectStatus.Active, ProjectStatus.Failed, cause!.Trim())
            : errors.ToError();
    }

    /// <summary>
    /// What the challenge does once its projects changed: nothing while one is active; Completed when every project
    /// ended and at least one completed; Failed when every project failed.
    /// </summary>
    public static ChallengeOutcome OutcomeOf(IReadOnlyCollection<string> projectStatuses) =>
        projectStatuses.Count == 0 || projectStatuses.Any(s => !IsEnded(s)) ? ChallengeOutcome.StillRunning
        : projectStatuses.Any(s => s == ProjectStatus.Completed) ? ChallengeOutcome.Completed
        : ChallengeOutcome.Failed;
}

public enum ChallengeOutcome
{
    StillRunning,
    Completed,
    Failed,
}
