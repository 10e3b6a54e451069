namespace Marketplace.Core.Reviews;

/// <summary>The latest score of one assignment for one criterion (the history's newest row).</summary>
public sealed record LatestScore(long AssignmentId, long ProposalId, long CriterionId, int Score, string Comment);

/// <summary>An accepted assignment, as the aggregate needs it.</summary>
public sealed record ReviewerOfProposal(long AssignmentId, long ProposalId, long ReviewerUserId, string ReviewerName);

/// <summary>One criterion of one proposal: mean, spread (max − min), how many reviewers, and whether they disagree.</summary>
public sealed record CriterionAggregate(long CriterionId, double Mean, int Spread, int Reviewers, bool Disagreement);

/// <summary>One proposal's aggregate: per criterion, the weighted total (0–100), its rank, and which reviews are missing.</summary>
public sealed record ProposalAggregate
{
    public long ProposalId { get; init; }
    public IReadOnlyList<CriterionAggregate> Criteria { get; init; } = [];
    public double? WeightedTotal { get; init; }
    public int? Rank { get; init; }
    public int CompleteReviews { get; init; }
    public IReadOnlyList<ReviewerOfProposal> IncompleteReviews { get; init; } = [];

    public bool HasDisagreement => Criteria.Any(c => c.Disagreement);
}

/// <summary>
/// The officers' view of the scores, as pure arithmetic. Only complete reviews (an accepted assignment with a score
/// for every criterion) count, so a half-finished review cannot tilt a mean. The weighted total is
/// Σ weight × mean ÷ 10: a proposal scored 10 on everything has 100. Reviewers disagree on a criterion when their
/// scores differ by 4 points or more. Ranks follow the weighted total, highest first; equal totals share a rank.
/// </summary>
public static class ReviewAggregator
{
    public const int DisagreementThreshold = 4;

    public static IReadOnlyList<ProposalAggregate> Aggregate(
        IReadOnlyList<long> proposalIds,
        IReadOnlyList<RubricCriterion> rubric,
        IReadOnlyList<ReviewerOfProposal> acceptedAssignments,
        IReadOnlyList<LatestScore> latest)
    {
        var byAssignment = latest.GroupBy(s => s.AssignmentId).ToDictionary(g => g.Key, g => g.ToDictionary(s => s.CriterionId, s => s.Score));
        bool IsComplete(ReviewerOfProposal a) =>
            rubric.Count > 0 && byAssignment.TryGetValue(a.AssignmentId, out var scores) && rubric.All(c => scores.ContainsKey(c.Id));

        var unranked = proposalIds.Select(proposalId =>
        {
            var assignments = acceptedAssignments.Where(a => a.ProposalId == proposalId).ToList();
            var complete = assignments.Where(IsComplete).ToList();
            var criteria = rubric.Select(c =>
            {
                var scores = complete.Select(a => byAssignment[a.AssignmentId][c.Id]).ToList();
                if (scores.Count == 0)
                {
                    return new CriterionAggregate(c.Id, 0, 0, 0, false);
                }

                var spread = scores.Max() - scores.Min();
                return new CriterionAggregate(c.Id, scores.Average(), spread, scores.Count, spread >= DisagreementThreshold);
            }).ToList();
            double? total = complete.Count == 0 ? null : Math.Round(rubric.Sum(c => c.Weight * criteria.First(a => a.CriterionId == c.Id).Mean) / 10.0, 2);
            return new ProposalAggregate
            {
                ProposalId = proposalId,
                Criteria = criteria,
                WeightedTotal = total,
                CompleteReviews = complete.Count,
                IncompleteReviews = assignments.Where(a => !IsComplete(a)).ToList(),
            };
        }).ToList();

        var ordered = unranked.OrderByDescending(p => p.WeightedTotal ?? -1).ThenBy(p => proposalIds.ToList().IndexOf(p.ProposalId)).ToList();
        var ranked = new List<ProposalAggregate>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var p = ordered[i];
            int? rank = p.WeightedTotal is null ? null
                : i > 0 && ordered[i - 1].WeightedTotal == p.WeightedTotal ? ranked[i - 1].Rank
                : i + 1;
            ranked.Add(p with { Rank = rank });
        }

        return ranked;
    }

    /// <summary>
    /// What still stops technical scoring from closing, as sentences: each accepted review not complete, and each
    /// submitted proposal without one complete review. Empty when scoring may close.
    /// </summary>
    public static IReadOnlyList<string> MissingBeforeClosing(IReadOnlyList<ProposalAggregate> aggregate, IReadOnlyDictionary<long, string> proposalNames)
    {
        var missing = new List<string>();
        foreach (var p in aggregate.OrderBy(p => p.ProposalId))
        {
            var name = proposalNames.GetValueOrDefault(p.ProposalId, $"#{p.ProposalId}");
            foreach (var a in p.IncompleteReviews)
            {
                missing.Add($"{a.ReviewerName} has not scored every criterion of the proposal of {name}.");
            }

            if (p.CompleteReviews == 0)
            {
                missing.Add($"The proposal of {name} has no complete review.");
            }
        }

        return missing;
    }
}
