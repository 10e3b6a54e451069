using Marketplace.Core.Common;
using Marketplace.Core.Features.Reviews;

namespace Marketplace.Jobs;

/// <summary>
/// Runs after a challenge with proposals closes (AutomaticReviewerAssignment.AfterClosingAsync): by default proposes
/// the optimal plan and tells the officers, who confirm or edit it; with `Review:AssignmentAfterClosing=apply` applies
/// it unedited as the system. Idempotent: officers are told once, a second apply assigns nothing. A challenge that
/// cannot be assigned (scoring closed, no reviewers) is reported, not retried: the officer sees it on the review board.
/// CLI twin: `marketplace challenges assign-reviewers ID [--apply]`.
/// </summary>
public sealed class AssignReviewersJob(AutomaticReviewerAssignment assignment)
{
    public async Task<string> RunAsync(long challengeId, CancellationToken cancellationToken)
    {
        var result = await assignment.AfterClosingAsync(challengeId, cancellationToken);
        if (!result.IsSuccess)
        {
            // An expected refusal is a value, not a fault: retrying would not change it.
            return result.Error!.Kind == ErrorKind.Conflict || result.Error.Kind == ErrorKind.NotFound
                ? $"challenge {challengeId}: not assigned ({result.Error.Message})"
                : throw new InvalidOperationException($"Automatic assignment of challenge {challengeId} failed: {result.Error.Message}");
        }

        var outcome = result.Value!;
        if (outcome.Applied is { } applied)
        {
            return $"challenge {challengeId}: {applied.Assigned.Count} assignment(s) made, {applied.AlreadyAssigned.Count} already there";
        }

        var plan = outcome.Proposed!;
        return $"challenge {challengeId}: {plan.Pairs.Count} assignment(s) proposed (objective {plan.Objective:0.###}); officers "
            + (outcome.OfficersTold ? "told" : "already told or nothing to propose");
    }
}
