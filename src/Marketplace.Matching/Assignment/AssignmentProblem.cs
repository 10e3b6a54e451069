namespace Marketplace.Matching.Assignment;

/// <summary>One reviewer on one proposal.</summary>
public readonly record struct ReviewPair(long ProposalId, long ReviewerId);

/// <summary>
/// What an assignment is decided from: the proposals that need reviewers, the reviewers who may take them, the
/// expertise affinity of each pair (from the matcher; a pair not listed has affinity 0), the pairs that must never be
/// made and why (conflicts of interest, a reviewer already on the proposal), how many reviewers each proposal needs in
/// all (<see cref="ReviewersPerProposal"/>) and how many open assignments a reviewer may hold (<see cref="LoadCap"/>).
/// Reviewers already on a proposal count towards its k (<see cref="AlreadyAssigned"/>); a reviewer's open assignments
/// elsewhere count towards the cap (<see cref="CurrentLoad"/>).
/// </summary>
public sealed record AssignmentProblem
{
    public required IReadOnlyList<long> Proposals { get; init; }

    public required IReadOnlyList<long> Reviewers { get; init; }

    public IReadOnlyDictionary<ReviewPair, double> Affinities { get; init; } = new Dictionary<ReviewPair, double>();

    /// <summary>Pairs that must not be made, with the reason (shown to the officer when a slot stays empty).</summary>
    public IReadOnlyDictionary<ReviewPair, string> Forbidden { get; init; } = new Dictionary<ReviewPair, string>();

    public int ReviewersPerProposal { get; init; } = 3;

    public required int LoadCap { get; init; }

    /// <summary>Open assignments each reviewer already holds (they count against <see cref="LoadCap"/>).</summary>
    public IReadOnlyDictionary<long, int> CurrentLoad { get; init; } = new Dictionary<long, int>();

    /// <summary>Reviewers already on each proposal (they count towards <see cref="ReviewersPerProposal"/>).</summary>
    public IReadOnlyDictionary<long, int> AlreadyAssigned { get; init; } = new Dictionary<long, int>();

    public double AffinityOf(long proposalId, long reviewerId) => Affinities.GetValueOrDefault(new ReviewPair(proposalId, reviewerId));

    public bool IsForbidden(long proposalId, long reviewerId) => Forbidden.ContainsKey(new ReviewPair(proposalId, reviewerId));

    /// <summary>How many more reviewers the proposal needs.</summary>
    public int NeedOf(long proposalId) => Math.Max(0, ReviewersPerProposal - AlreadyAssigned.GetValueOrDefault(proposalId));

    /// <summary>How many more assignments the reviewer may take.</summary>
    public int CapacityOf(long reviewerId) => Math.Max(0, LoadCap - CurrentLoad.GetValueOrDefault(reviewerId));

    internal void Validate()
    {
        if (ReviewersPerProposal < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ReviewersPerProposal), ReviewersPerProposal, "Each proposal needs at least one reviewer.");
        }

        if (LoadCap < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LoadCap), LoadCap, "The load cap cannot be negative.");
        }

        if (Proposals.Distinct().Count() != Proposals.Count || Reviewers.Distinct().Count() != Reviewers.Count)
        {
            throw new ArgumentException("Proposals and reviewers must each be listed once.");
        }
    }
}

/// <summary>Why a proposal's slots stayed empty.</summary>
public enum UnfilledReason
{
    /// <summary>Too few reviewers are free of a conflict with it (or not already on it) to reach k.</summary>
    NotEnoughEligibleReviewers,

    /// <summary>Enough reviewers are eligible, but those who are have reached their load cap.</summary>
    LoadCapReached,
}

/// <summary>Slots of one proposal left empty, and why.</summary>
public sealed record UnfilledSlots(long ProposalId, int Slots, UnfilledReason Reason);

/// <summary>A pair the assignment makes, with its affinity.</summary>
public sealed record AssignedPair(long ProposalId, long ReviewerId, double Affinity);

/// <summary>
/// An assignment: the pairs made, the objective (total affinity of the new pairs), how many of the needed slots were
/// filled, each reviewer's load afterwards (current + new), the slots left empty with their reason, which method made
/// it and how long it took.
/// </summary>
public sealed record AssignmentSolution(
    string Method,
    IReadOnlyList<AssignedPair> Pairs,
    double Objective,
    int SlotsFilled,
    int SlotsNeeded,
    IReadOnlyDictionary<long, int> Load,
    IReadOnlyList<UnfilledSlots> Unfilled,
    TimeSpan Elapsed)
{
    /// <summary>
    /// The order both methods optimise: more filled slots first (a proposal short of reviewers is worse than a
    /// slightly weaker reviewer), then more affinity. Positive when this solution is better than <paramref name="other"/>.
    /// </summary>
    public int CompareTo(AssignmentSolution other, double tolerance = 1e-6) =>
        SlotsFilled != other.SlotsFilled ? SlotsFilled.CompareTo(other.SlotsFilled)
        : Math.Abs(Objective - other.Objective) <= tolerance ? 0
        : Objective.CompareTo(other.Objective);

    /// <summary>Builds a solution's accounts from the pairs chosen: objective, load, unfilled slots and their reasons.</summary>
    internal static AssignmentSolution From(string method, AssignmentProblem problem, IReadOnlyList<ReviewPair> chosen, TimeSpan elapsed)
    {
        var pairs = chosen.Select(p => new AssignedPair(p.ProposalId, p.ReviewerId, problem.AffinityOf(p.ProposalId, p.ReviewerId)))
            .OrderBy(p => p.ProposalId).ThenByDescending(p => p.Affinity).ThenBy(p => p.ReviewerId).ToList();
        var perProposal = pairs.GroupBy(p => p.ProposalId).ToDictionary(g => g.Key, g => g.Count());
        var load = problem.Reviewers.ToDictionary(r => r, r => problem.CurrentLoad.GetValueOrDefault(r));
        foreach (var pair in pairs)
        {
            load[pair.ReviewerId]++;
        }

        var unfilled = new List<UnfilledSlots>();
        var needed = 0;
        foreach (var proposal in problem.Proposals)
        {
            var need = problem.NeedOf(proposal);
            needed += need;
            var missing = need - perProposal.GetValueOrDefault(proposal);
            if (missing <= 0)
            {
                continue;
            }

            var eligible = problem.Reviewers.Count(r => !problem.IsForbidden(proposal, r));
            var shortOfEligible = Math.Min(missing, Math.Max(0, need - eligible));
            if (shortOfEligible > 0)
            {
                unfilled.Add(new UnfilledSlots(proposal, shortOfEligible, UnfilledReason.NotEnoughEligibleReviewers));
            }

            if (missing - shortOfEligible > 0)
            {
                unfilled.Add(new UnfilledSlots(proposal, missing - shortOfEligible, UnfilledReason.LoadCapReached));
            }
        }

        return new AssignmentSolution(method, pairs, pairs.Sum(p => p.Affinity), pairs.Count, needed, load, unfilled, elapsed);
    }
}
