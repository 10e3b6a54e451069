using Marketplace.Core.Common;
using Marketplace.Core.Features.Reviews;

namespace Marketplace.Jobs;

/// <summary>
/// Assigns reviewers automatically when a challenge with proposals closes (AutomaticReviewerAssignment: the optimal
/// plan, applied unedited as the system). Idempotent: a second run assigns nothing. A challenge that cannot be
/// assigned (scoring closed, no reviewers) is reported, not retried: the officer sees it on the review board.
/// CLI twin: `marketplace challenges assign-reviewers ID`.
/// </summary>
public sealed class AssignReviewersJob(AutomaticReviewerAssignment assignment)
{
    public async Task<string> RunAsync(long challengeId, CancellationToken cancellationToken)
    {
        var result = await assignment.RunAsync(challengeId, cancellationToken);
        if (!result.IsSuccess)
        {
            // An expected refusal is a value, not a fault: retrying would not change it.
            return result.Error!.Kind == ErrorKind.Conflict || result.Error.Kind == ErrorKind.NotFound
                ? $"challenge {challengeId}: not assigned ({result.Error.Message})"
                : throw new InvalidOperationException($"Automatic assignment of challenge {challengeId} failed: {result.Error.Message}");
        }

        var applied = result.Value!;
        return $"challenge {challengeId}: {applied.Assigned.Count} assignment(s) made, {applied.AlreadyAssigned.Count} already there";
    }
}
