using Marketplace.Core.Features.Reviews;
using Marketplace.Data.Matching;
using Marketplace.Matching;
using Marketplace.Matching.Assignment;

namespace Marketplace.Data.Reviews;

/// <summary>
/// Reviewer–proposal affinity from the matcher: the same score as the reviewer suggestions on a proposal's page (the
/// proposal's technical text and the challenge's tags against each reviewer's declared expertise and tags), for every
/// reviewer rather than the top five. Conflicts are not excluded here: the assignment rules forbid those pairs.
/// </summary>
public sealed class MatcherReviewerAffinities(Matchmaker matchmaker) : IReviewerAffinities
{
    public async Task<IReadOnlyDictionary<(long ProposalId, long ReviewerUserId), double>> ScoreAsync(IReadOnlyList<ProposalText> proposals,
        IReadOnlyCollection<long> reviewerUserIds, CancellationToken cancellationToken)
    {
        var scores = new Dictionary<(long ProposalId, long ReviewerUserId), double>();
        if (proposals.Count == 0 || reviewerUserIds.Count == 0)
        {
            return scores;
        }

        var wanted = reviewerUserIds.ToHashSet();
        var none = new HashSet<string>(StringComparer.Ordinal);
        foreach (var proposal in proposals)
        {
            var document = new ProposalDocument("p" + proposal.ProposalId, proposal.Title, proposal.Text) { Tags = proposal.Tags };
            // Reviewers without a profile are not in the index; they stay at affinity 0 and may still be assigned.
            foreach (var match in await matchmaker.SuggestReviewersAsync(document, none, reviewerUserIds.Count, cancellationToken))
            {
                var reviewer = MatchStore.IdOf(match.Id);
                if (wanted.Contains(reviewer))
                {
                    scores[(proposal.ProposalId, reviewer)] = match.Score;
                }
            }
        }

        return scores;
    }
}

/// <summary>Core's assignment problem handed to the Matching library's min-cost-flow solver, and its answer back.</summary>
public sealed class MinCostFlowAssignmentOptimiser : IReviewerAssignmentOptimiser
{
    public OptimisedAssignment Solve(AssignmentDemand demand)
    {
        ArgumentNullException.ThrowIfNull(demand);
        var solution = ReviewerAssignmentSolver.Solve(new AssignmentProblem
        {
            Proposals = demand.ProposalIds,
            Reviewers = demand.ReviewerUserIds,
            Affinities = demand.Affinities.ToDictionary(a => new ReviewPair(a.Key.ProposalId, a.Key.ReviewerUserId), a => a.Value),
            Forbidden = demand.Forbidden.ToDictionary(f => new ReviewPair(f.Key.ProposalId, f.Key.ReviewerUserId), f => f.Value),
            ReviewersPerProposal = demand.ReviewersPerProposal,
            LoadCap = demand.LoadCap,
            CurrentLoad = demand.CurrentLoad,
            AlreadyAssigned = demand.AlreadyAssigned,
        });
        return new OptimisedAssignment(
            solution.Method,
            solution.Pairs.Select(p => new OptimisedPair(p.ProposalId, p.ReviewerId, p.Affinity)).ToList(),
            solution.Objective,
            solution.SlotsNeeded,
            solution.Unfilled.Select(u => new OptimisedUnfilled(u.ProposalId, u.Slots, u.Reason switch
            {
                UnfilledReason.NotEnoughEligibleReviewers => AssignmentReasons.NotEnoughEligibleReviewers,
                _ => AssignmentReasons.LoadCapReached,
            })).ToList(),
            solution.Elapsed);
    }
}
