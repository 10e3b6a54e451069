using System.Diagnostics;
using Google.OrTools.Graph;

namespace Marketplace.Matching.Assignment;

/// <summary>
/// Assigns reviewers to proposals as an optimisation: a min-cost flow (OR-Tools) from a source through each
/// proposal (capacity: the reviewers it still needs) and each allowed proposal→reviewer arc (capacity 1) to each
/// reviewer (capacity: what is left under the load cap) and a sink. The flow is maximal, so as many slots as the
/// constraints allow are filled, and among maximal flows its cost is least, i.e. the total affinity is greatest.
/// Forbidden pairs get no arc at all, so no constraint can be broken; a slot that cannot be filled is reported with
/// its reason instead of failing. Exact for this problem: the flow polytope is integral.
/// </summary>
public static class ReviewerAssignmentSolver
{
    public const string Method = "min-cost flow (OR-Tools)";

    /// <summary>Affinities (cosines in [0, 1]) are costs in millionths: pairs closer than that are ties.</summary>
    private const double Scale = 1_000_000;

    public static AssignmentSolution Solve(AssignmentProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        problem.Validate();
        var started = Stopwatch.GetTimestamp();
        var proposals = problem.Proposals;
        var reviewers = problem.Reviewers;
        var source = 0;
        var sink = proposals.Count + reviewers.Count + 1;
        int ProposalNode(int i) => 1 + i;
        int ReviewerNode(int j) => 1 + proposals.Count + j;

        // Costs must be whole numbers; offset them so that every one is >= 0 (each unit of flow crosses exactly one
        // proposal→reviewer arc, so the offset adds the same amount to every maximal flow and changes no choice).
        var top = (long)Math.Ceiling(Math.Max(1.0, problem.Affinities.Count == 0 ? 1.0 : problem.Affinities.Values.Max()) * Scale);

        var flow = new MinCostFlow();
        var supply = 0L;
        for (var i = 0; i < proposals.Count; i++)
        {
            var need = problem.NeedOf(proposals[i]);
            if (need > 0)
            {
                flow.AddArcWithCapacityAndUnitCost(source, ProposalNode(i), need, 0);
                supply += need;
            }
        }

        var pairArcs = new List<(int Arc, ReviewPair Pair)>();
        for (var i = 0; i < proposals.Count; i++)
        {
            if (problem.NeedOf(proposals[i]) == 0)
            {
                continue;
            }

            for (var j = 0; j < reviewers.Count; j++)
            {
                if (problem.IsForbidden(proposals[i], reviewers[j]) || problem.CapacityOf(reviewers[j]) == 0)
                {
                    continue;
                }

                var affinity = Math.Max(0.0, problem.AffinityOf(proposals[i], reviewers[j]));
                var arc = flow.AddArcWithCapacityAndUnitCost(ProposalNode(i), ReviewerNode(j), 1, top - (long)Math.Round(affinity * Scale));
                pairArcs.Add((arc, new ReviewPair(proposals[i], reviewers[j])));
            }
        }

        for (var j = 0; j < reviewers.Count; j++)
        {
            var capacity = problem.CapacityOf(reviewers[j]);
            if (capacity > 0)
            {
                flow.AddArcWithCapacityAndUnitCost(ReviewerNode(j), sink, capacity, 0);
            }
        }

        var chosen = new List<ReviewPair>();
        if (supply > 0 && pairArcs.Count > 0)
        {
            flow.SetNodeSupply(source, supply);
            flow.SetNodeSupply(sink, -supply);
            var status = flow.SolveMaxFlowWithMinCost();
            if (status != MinCostFlowBase.Status.OPTIMAL)
            {
                // Cannot happen for a well-formed network (all capacities finite, costs bounded); a bug if it does.
                throw new InvalidOperationException($"The reviewer assignment flow ended with status {status}.");
            }

            chosen.AddRange(pairArcs.Where(a => flow.Flow(a.Arc) > 0).Select(a => a.Pair));
        }

        return AssignmentSolution.From(Method, problem, chosen, Stopwatch.GetElapsedTime(started));
    }
}

/// <summary>
/// The baseline the solver is measured against: take the remaining pairs in order of affinity, best first, and keep
/// each one whose proposal still needs a reviewer and whose reviewer is under the cap. Fast and often good, but a
/// strong reviewer spent early on one proposal can leave another without anyone.
/// </summary>
public static class GreedyReviewerAssignment
{
    public const string Method = "greedy (best affinity first)";

    public static AssignmentSolution Solve(AssignmentProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        problem.Validate();
        var started = Stopwatch.GetTimestamp();
        var need = problem.Proposals.ToDictionary(p => p, problem.NeedOf);
        var capacity = problem.Reviewers.ToDictionary(r => r, problem.CapacityOf);
        var candidates = new List<(ReviewPair Pair, double Affinity)>();
        foreach (var p in problem.Proposals.Where(p => need[p] > 0))
        {
            foreach (var r in problem.Reviewers.Where(r => capacity[r] > 0 && !problem.IsForbidden(p, r)))
            {
                candidates.Add((new ReviewPair(p, r), problem.AffinityOf(p, r)));
            }
        }

        candidates.Sort((a, b) => b.Affinity.CompareTo(a.Affinity) is var c and not 0 ? c
            : a.Pair.ProposalId.CompareTo(b.Pair.ProposalId) is var d and not 0 ? d
            : a.Pair.ReviewerId.CompareTo(b.Pair.ReviewerId));
        var chosen = new List<ReviewPair>();
        foreach (var (pair, _) in candidates)
        {
            if (need[pair.ProposalId] > 0 && capacity[pair.ReviewerId] > 0)
            {
                chosen.Add(pair);
                need[pair.ProposalId]--;
                capacity[pair.ReviewerId]--;
            }
        }

        return AssignmentSolution.From(Method, problem, chosen, Stopwatch.GetElapsedTime(started));
    }
}
