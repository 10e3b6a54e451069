using Marketplace.Matching.Assignment;

namespace Marketplace.Matching.Tests.Assignment;

public sealed class ReviewerAssignmentSolverTests
{
    [Fact]
    public void Solver_OnRandomInstances_RespectsEveryConstraint_AndIsNeverWorseThanGreedy()
    {
        for (var seed = 1; seed <= 300; seed++)
        {
            var problem = RandomProblem(seed);
            var solved = ReviewerAssignmentSolver.Solve(problem);
            var greedy = GreedyReviewerAssignment.Solve(problem);

            AssertFeasible(problem, solved, seed);
            AssertFeasible(problem, greedy, seed);
            Assert.True(solved.CompareTo(greedy) >= 0,
                $"seed {seed}: solver filled {solved.SlotsFilled} with {solved.Objective:F6}, greedy {greedy.SlotsFilled} with {greedy.Objective:F6}");
        }
    }

    [Fact]
    public void Solver_OnTinyRandomInstances_FindsTheExhaustiveOptimum()
    {
        for (var seed = 1; seed <= 150; seed++)
        {
            var problem = RandomProblem(seed, maxProposals: 4, maxReviewers: 4, maxK: 2);
            var solved = ReviewerAssignmentSolver.Solve(problem);
            var (filled, best) = Exhaustive(problem);
            Assert.Equal(filled, solved.SlotsFilled);
            Assert.Equal(best, solved.Objective, 5);
        }
    }

    [Fact]
    public void Greedy_SpendsTheBestReviewerEarly_TheSolverFindsTheOptimum()
    {
        // P1 likes R1 (0.9) a little more than R2 (0.8); P2 needs R1 (0.7) and barely fits R2 (0.1).
        // Greedy takes P1–R1 first and must then give P2 to R2: 0.9 + 0.1 = 1.0. The optimum is 0.8 + 0.7 = 1.5.
        var problem = new AssignmentProblem
        {
            Proposals = [1, 2],
            Reviewers = [11, 12],
            ReviewersPerProposal = 1,
            LoadCap = 1,
            Affinities = new Dictionary<ReviewPair, double>
            {
                [new(1, 11)] = 0.9, [new(1, 12)] = 0.8, [new(2, 11)] = 0.7, [new(2, 12)] = 0.1,
            },
        };

        var greedy = GreedyReviewerAssignment.Solve(problem);
        var solved = ReviewerAssignmentSolver.Solve(problem);

        Assert.Equal(1.0, greedy.Objective, 9);
        Assert.Equal(1.5, solved.Objective, 9);
        Assert.Equal([new AssignedPair(1, 12, 0.8), new AssignedPair(2, 11, 0.7)], solved.Pairs);
        Assert.Empty(solved.Unfilled);
    }

    [Fact]
    public void Greedy_LeavesAProposalWithoutAReviewer_TheSolverFillsEverySlot()
    {
        var problem = new AssignmentProblem
        {
            Proposals = [1, 2],
            Reviewers = [11, 12],
            ReviewersPerProposal = 1,
            LoadCap = 1,
            Affinities = new Dictionary<ReviewPair, double> { [new(1, 11)] = 0.9, [new(1, 12)] = 0.8, [new(2, 11)] = 0.7 },
            Forbidden = new Dictionary<ReviewPair, string> { [new(2, 12)] = "conflict_of_interest" },
        };

        var greedy = GreedyReviewerAssignment.Solve(problem);
        var solved = ReviewerAssignmentSolver.Solve(problem);

        Assert.Equal(1, greedy.SlotsFilled);
        Assert.Equal([new UnfilledSlots(2, 1, UnfilledReason.LoadCapReached)], greedy.Unfilled);
        Assert.Equal(2, solved.SlotsFilled);
        Assert.Equal(1.5, solved.Objective, 9);
    }

    [Fact]
    public void Solver_WithTooFewEligibleReviewers_FillsWhatItCan_AndSaysWhy()
    {
        var problem = new AssignmentProblem
        {
            Proposals = [1, 2, 3],
            Reviewers = [11, 12, 13],
            ReviewersPerProposal = 3,
            LoadCap = 10,
            Forbidden = new Dictionary<ReviewPair, string> { [new(1, 13)] = "conflict_of_interest", [new(2, 12)] = "conflict_declared", [new(2, 13)] = "conflict_of_interest" },
        };

        var solved = ReviewerAssignmentSolver.Solve(problem);

        Assert.Equal(9, solved.SlotsNeeded);
        Assert.Equal(6, solved.SlotsFilled);
        Assert.Equal(
            [new UnfilledSlots(1, 1, UnfilledReason.NotEnoughEligibleReviewers), new UnfilledSlots(2, 2, UnfilledReason.NotEnoughEligibleReviewers)],
            solved.Unfilled);
    }

    [Fact]
    public void Solver_WhenDemandExceedsCapacity_ReportsSlotsLeftByTheLoadCap()
    {
        // 4 proposals × 2 reviewers = 8 slots; 3 reviewers under a cap of 3, one of them already holding 2: 3 + 3 + 1 = 7.
        var problem = new AssignmentProblem
        {
            Proposals = [1, 2, 3, 4],
            Reviewers = [11, 12, 13],
            ReviewersPerProposal = 2,
            LoadCap = 3,
            CurrentLoad = new Dictionary<long, int> { [13] = 2 },
        };

        var solved = ReviewerAssignmentSolver.Solve(problem);

        Assert.Equal(7, solved.SlotsFilled);
        Assert.Equal(UnfilledReason.LoadCapReached, Assert.Single(solved.Unfilled).Reason);
        Assert.Equal(3, solved.Load[11]);
        Assert.Equal(3, solved.Load[13]);
    }

    [Fact]
    public void Solver_CountsReviewersAlreadyOnAProposal_TowardsK()
    {
        var problem = new AssignmentProblem
        {
            Proposals = [1, 2],
            Reviewers = [11, 12, 13],
            ReviewersPerProposal = 2,
            LoadCap = 5,
            AlreadyAssigned = new Dictionary<long, int> { [1] = 2, [2] = 1 },
            Forbidden = new Dictionary<ReviewPair, string> { [new(2, 11)] = "already_assigned" },
        };

        var solved = ReviewerAssignmentSolver.Solve(problem);

        Assert.Equal(1, solved.SlotsNeeded);
        var pair = Assert.Single(solved.Pairs);
        Assert.Equal(2, pair.ProposalId);
        Assert.NotEqual(11, pair.ReviewerId);
    }

    private static void AssertFeasible(AssignmentProblem problem, AssignmentSolution solution, int seed)
    {
        Assert.True(solution.Pairs.Select(p => (p.ProposalId, p.ReviewerId)).Distinct().Count() == solution.Pairs.Count, $"seed {seed}: duplicate pair");
        foreach (var pair in solution.Pairs)
        {
            Assert.False(problem.IsForbidden(pair.ProposalId, pair.ReviewerId), $"seed {seed}: forbidden pair {pair}");
            Assert.Contains(pair.ProposalId, problem.Proposals);
            Assert.Contains(pair.ReviewerId, problem.Reviewers);
        }

        foreach (var group in solution.Pairs.GroupBy(p => p.ProposalId))
        {
            Assert.True(group.Count() <= problem.NeedOf(group.Key), $"seed {seed}: proposal {group.Key} has {group.Count()} > k");
        }

        foreach (var group in solution.Pairs.GroupBy(p => p.ReviewerId))
        {
            Assert.True(problem.CurrentLoad.GetValueOrDefault(group.Key) + group.Count() <= problem.LoadCap, $"seed {seed}: reviewer {group.Key} over the cap");
            Assert.Equal(problem.CurrentLoad.GetValueOrDefault(group.Key) + group.Count(), solution.Load[group.Key]);
        }

        Assert.Equal(solution.SlotsNeeded - solution.SlotsFilled, solution.Unfilled.Sum(u => u.Slots));
        Assert.Equal(solution.Pairs.Sum(p => p.Affinity), solution.Objective, 9);
    }

    private static AssignmentProblem RandomProblem(int seed, int maxProposals = 25, int maxReviewers = 15, int maxK = 4)
    {
        var random = new Random(seed);
        var proposals = Enumerable.Range(1, random.Next(1, maxProposals + 1)).Select(i => (long)i).ToList();
        var reviewers = Enumerable.Range(101, random.Next(1, maxReviewers + 1)).Select(i => (long)i).ToList();
        var affinities = new Dictionary<ReviewPair, double>();
        var forbidden = new Dictionary<ReviewPair, string>();
        var forbiddenShare = random.NextDouble() * 0.4;
        foreach (var p in proposals)
        {
            foreach (var r in reviewers)
            {
                // Coarse values on purpose: ties are where a wrong tie-break would show.
                affinities[new ReviewPair(p, r)] = Math.Round(random.NextDouble(), random.Next(1, 4));
                if (random.NextDouble() < forbiddenShare)
                {
                    forbidden[new ReviewPair(p, r)] = "conflict_of_interest";
                }
            }
        }

        return new AssignmentProblem
        {
            Proposals = proposals,
            Reviewers = reviewers,
            Affinities = affinities,
            Forbidden = forbidden,
            ReviewersPerProposal = random.Next(1, maxK + 1),
            LoadCap = random.Next(0, 7),
            CurrentLoad = reviewers.Where(_ => random.NextDouble() < 0.3).ToDictionary(r => r, _ => random.Next(0, 4)),
            AlreadyAssigned = proposals.Where(_ => random.NextDouble() < 0.2).ToDictionary(p => p, _ => random.Next(0, 3)),
        };
    }

    /// <summary>Every subset of allowed pairs, keeping the feasible ones: (most filled, best affinity among those).</summary>
    private static (int Filled, double Objective) Exhaustive(AssignmentProblem problem)
    {
        var allowed = problem.Proposals.SelectMany(p => problem.Reviewers.Where(r => !problem.IsForbidden(p, r)).Select(r => new ReviewPair(p, r))).ToList();
        Assert.True(allowed.Count <= 16);
        var best = (Filled: 0, Objective: 0.0);
        for (var mask = 0; mask < 1 << allowed.Count; mask++)
        {
            var chosen = allowed.Where((_, i) => (mask & (1 << i)) != 0).ToList();
            if (chosen.GroupBy(c => c.ProposalId).Any(g => g.Count() > problem.NeedOf(g.Key))
                || chosen.GroupBy(c => c.ReviewerId).Any(g => g.Count() > problem.CapacityOf(g.Key)))
            {
                continue;
            }

            var objective = chosen.Sum(c => problem.AffinityOf(c.ProposalId, c.ReviewerId));
            if (chosen.Count > best.Filled || (chosen.Count == best.Filled && objective > best.Objective + 1e-9))
            {
                best = (chosen.Count, objective);
            }
        }

        return best;
    }
}
