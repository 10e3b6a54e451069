using Marketplace.Core.Challenges;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Challenges;

/// <summary>Names and badges of every lifecycle state and audit action, through the lifecycle resource.</summary>
public static class LifecycleDisplay
{
    public static string Status(IStringLocalizer text, string status) => text[status switch
    {
        ChallengeStatus.Draft => "Draft",
        ChallengeStatus.Submitted => "Submitted for screening",
        ChallengeStatus.Returned => "Returned for changes",
        ChallengeStatus.Rejected => "Rejected",
        ChallengeStatus.Published => "Open",
        ChallengeStatus.Closed => "Closed",
        ChallengeStatus.UnderReview => "Under review",
        ChallengeStatus.Awarded => "Awarded",
        ChallengeStatus.NotAwarded => "Not awarded",
        ChallengeStatus.InDelivery => "In delivery",
        ChallengeStatus.Completed => "Completed",
        ChallengeStatus.Failed => "Failed (filed)",
        ChallengeStatus.Withdrawn => "Withdrawn",
        _ => status,
    }];

    public static string Badge(string status) => status switch
    {
        ChallengeStatus.Draft => "text-bg-light border",
        ChallengeStatus.Submitted => "text-bg-info",
        ChallengeStatus.Returned => "text-bg-warning",
        ChallengeStatus.Rejected => "text-bg-danger",
        ChallengeStatus.Withdrawn => "text-bg-secondary",
        _ => Infrastructure.Display.StatusBadge(status),
    };

    public static string Action(IStringLocalizer text, string action) => text[action switch
    {
        ChallengeActions.Created => "Draft created",
        ChallengeActions.Edited => "Draft edited",
        ChallengeActions.Revised => "Published text revised",
        ChallengeActions.SubmittedForScreening => "Submitted for screening",
        ChallengeActions.ReturnedForChanges => "Returned for changes",
        ChallengeActions.Rejected => "Rejected",
        ChallengeActions.Published => "Published",
        ChallengeActions.Withdrawn => "Withdrawn",
        ChallengeActions.Closed => "Closed at the deadline",
        ChallengeActions.NdaAccepted => "NDA terms accepted",
        Core.Proposals.ProposalActions.Submitted => "Proposal submitted",
        Core.Proposals.ProposalActions.Revised => "Proposal revised",
        Core.Proposals.ProposalActions.Withdrawn => "Proposal withdrawn",
        Data.Challenges.NegativeListStore.EntryAdded => "Negative-list entry added",
        Data.Challenges.NegativeListStore.EntryChanged => "Negative-list entry changed",
        ChallengeActions.ReviewStarted => "Review started",
        ChallengeActions.Awarded => "Awarded",
        ChallengeActions.NotAwarded => "Not awarded",
        ChallengeActions.ClosedWithoutProposals => "Ended at the deadline: no proposals",
        ChallengeActions.Reopened => "Re-opened with a new deadline",
        Core.Reviews.ReviewActions.ReviewerAssigned => "Reviewer assigned",
        Core.Reviews.ReviewActions.AssignmentPlanApplied => "Reviewer assignment plan applied",
        Core.Reviews.ReviewActions.ReviewerRemoved => "Reviewer removed",
        Core.Reviews.ReviewActions.ReviewAccepted => "Review accepted",
        Core.Reviews.ReviewActions.ConflictDeclared => "Conflict of interest declared",
        Core.Reviews.ReviewActions.RubricChanged => "Rubric changed",
        Core.Reviews.ReviewActions.QuotaChanged => "Winner quota changed",
        Core.Reviews.ReviewActions.ScoringClosed => "Technical scoring closed, price envelopes opened",
        ChallengeActions.DeliveryStarted => "Delivery started",
        ChallengeActions.Completed => "Delivery completed",
        ChallengeActions.Failed => "Delivery failed (filed)",
        Core.Delivery.DeliveryActions.EvidenceSubmitted => "Milestone evidence submitted",
        Core.Delivery.DeliveryActions.MilestoneAccepted => "Milestone accepted, payment share released",
        Core.Delivery.DeliveryActions.MilestoneRejected => "Milestone evidence rejected",
        Core.Delivery.DeliveryActions.AdjustmentRequested => "Stage adjustment requested",
        Core.Delivery.DeliveryActions.AdjustmentApproved => "Stage adjustment approved",
        Core.Delivery.DeliveryActions.AdjustmentDeclined => "Stage adjustment declined",
        Core.Delivery.DeliveryActions.ProjectCompleted => "Delivery project completed",
        Core.Delivery.DeliveryActions.ProjectFailed => "Failure filed for a delivery project",
        Core.Delivery.DeliveryActions.PortfolioConsentGranted => "Consent given to publish as a portfolio case",
        Core.Delivery.DeliveryActions.PortfolioConsentDeclined => "Consent to publish as a portfolio case declined",
        _ => action,
    }];

    /// <summary>Maps a use case's camelCase field name (acceptanceTargets[0].metric) to the form's (AcceptanceTargets[0].Metric).</summary>
    public static string FormField(string field, IReadOnlyDictionary<string, string>? renames = null)
    {
        if (renames is not null && renames.TryGetValue(field, out var renamed))
        {
            return renamed;
        }

        return string.Join('.', field.Split('.').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
    }
}
