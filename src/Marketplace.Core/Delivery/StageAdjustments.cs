using Marketplace.Core.Common;

namespace Marketplace.Core.Delivery;

/// <summary>A milestone as a stage adjustment sees it.</summary>
public sealed record AdjustableMilestone(long Id, int Position, string Status, DateOnly DueOn, string Deliverable);

/// <summary>A requested change to one milestone: a new due date, a new deliverable (scope), or both.</summary>
public sealed record MilestoneChange
{
    public long MilestoneId { get; init; }
    public DateOnly? NewDueOn { get; init; }
    public string? NewDeliverable { get; init; }
}

/// <summary>A validated change with the values it replaces (kept in the adjustment record once it applies).</summary>
public sealed record AdjustmentItem(long MilestoneId, DateOnly OldDueOn, DateOnly? NewDueOn, string OldDeliverable, string? NewDeliverable);

/// <summary>
/// Stage adjustments (阶段调整): either party asks for new due dates and/or scope on milestones that are not accepted
/// yet, with a reason; an officer approves (the changes apply) or declines with a note. One open request per project.
/// </summary>
public static class StageAdjustmentRules
{
    public const int MaxReasonLength = 2000;
    public const int MaxDeliverableLength = 2000;
    public const int MaxYearsAhead = Marketplace.Core.Proposals.ProposalRules.MaxMilestoneYearsAhead;

    public static IReadOnlyList<DeliveryAllowedMove> Moves { get; } =
    [
        new(AdjustmentStatus.Open, DeliveryActions.AdjustmentApproved, AdjustmentStatus.Approved),
        new(AdjustmentStatus.Open, DeliveryActions.AdjustmentDeclined, AdjustmentStatus.Declined),
    ];

    /// <summary>Checks a request against the project as it is now and returns the items to store.</summary>
    public static Result<IReadOnlyList<AdjustmentItem>> Request(string projectStatus, bool hasOpenRequest, IReadOnlyList<AdjustableMilestone> milestones,
        IReadOnlyList<MilestoneChange> changes, string? reason, DateOnly today)
    {
        if (projectStatus != ProjectStatus.Active)
        {
            return Error.Conflict("This delivery project has ended; its plan can no longer be adjusted.");
        }

        if (hasOpenRequest)
        {
            return Error.Conflict("A stage adjustment for this project is already waiting for the programme office; wait for its decision.");
        }

        var errors = new ValidationErrors().Require("reason", reason, "The reason for the adjustment", MaxReasonLength);
        var wanted = changes.Where(c => c.NewDueOn is not null || !string.IsNullOrWhiteSpace(c.NewDeliverable)).ToList();
        if (wanted.Count == 0)
        {
            errors.Add("changes", "Give a new due date or a new deliverable for at least one milestone.");
        }

        var items = new List<AdjustmentItem>();
        foreach (var change in wanted)
        {
            var milestone = milestones.FirstOrDefault(m => m.Id == change.MilestoneId);
            var field = $"changes[{change.MilestoneId}]";
            if (milestone is null)
            {
                errors.Add(field, $"Milestone {change.MilestoneId} is not part of this project.");
                continue;
            }

            if (items.Any(i => i.MilestoneId == milestone.Id))
            {
                errors.Add(field, $"Milestone {milestone.Position} is named twice.");
                continue;
            }

            if (milestone.Status == MilestoneStatus.Accepted)
            {
                errors.Add(field, $"Milestone {milestone.Position} is accepted; an accepted milestone cannot be adjusted.");
                continue;
            }

            var newDue = change.NewDueOn == milestone.DueOn ? null : change.NewDueOn;
            var newDeliverable = string.IsNullOrWhiteSpace(change.NewDeliverable) || change.NewDeliverable.Trim() == milestone.Deliverable ? null : change.NewDeliverable.Trim();
            if (newDue is { } due && due < today)
            {
                errors.Add(field + ".newDueOn", $"The new due date of milestone {milestone.Position} is in the past.");
            }
            else if (newDue is { } far && far > today.AddYears(MaxYearsAhead))
            {
                // The same horizon a proposal's milestones have; 9999-12-31 is a typing slip or a probe, never a plan.
                errors.Add(field + ".newDueOn", $"The new due date of milestone {milestone.Position} must fall within ten years.");
            }

            if (newDeliverable is { Length: > MaxDeliverableLength })
            {
                errors.Add(field + ".newDeliverable", $"A deliverable must be at most {MaxDeliverableLength} characters.");
            }

            if (newDue is null && newDeliverable is null)
            {
                errors.Add(field, $"The change to milestone {milestone.Position} is the same as its current plan.");
                continue;
            }

            items.Add(new AdjustmentItem(milestone.Id, milestone.DueOn, newDue, milestone.Deliverable, newDeliverable));
        }

        return errors.IsEmpty ? items : errors.ToError();
    }

    /// <summary>Approving applies the changes; it is refused when a milestone named in the request was accepted meanwhile.</summary>
    public static Result<DeliveryMove> Approve(string status, string projectStatus, IReadOnlyList<AdjustableMilestone> named, string? note)
    {
        if (Decidable(status, projectStatus) is { } refusal)
        {
            return refusal;
        }

        if (named.FirstOrDefault(m => m.Status == MilestoneStatus.Accepted) is { } accepted)
        {
            return Error.Conflict($"Milestone {accepted.Position} was accepted after the request was made; decline the request and ask for a new one.");
        }

        if (note is { Length: > MaxReasonLength })
        {
            return Error.Invalid("note", $"The note must be at most {MaxReasonLength} characters.");
        }

        return new DeliveryMove(DeliveryActions.AdjustmentApproved, AdjustmentStatus.Open, AdjustmentStatus.Approved, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
    }

    public static Result<DeliveryMove> Decline(string status, string projectStatus, string? note)
    {
        if (Decidable(status, projectStatus) is { } refusal)
        {
            return refusal;
        }

        var errors = new ValidationErrors().Require("note", note, "The note explaining the decline", MaxReasonLength);
        return errors.IsEmpty ? new DeliveryMove(DeliveryActions.AdjustmentDeclined, AdjustmentStatus.Open, AdjustmentStatus.Declined, note!.Trim()) : errors.ToError();
    }

    private static Error? Decidable(string status, string projectStatus) =>
        status != AdjustmentStatus.Open ? Error.Conflict("This stage adjustment was decided already.")
        : projectStatus != ProjectStatus.Active ? Error.Conflict("This delivery project has ended; the adjustment can no longer apply.")
        : null;
}
