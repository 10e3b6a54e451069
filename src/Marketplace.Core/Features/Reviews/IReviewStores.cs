using Marketplace.Core.Application;
using Marketplace.Core.Awards;
using Marketplace.Core.Reviews;

namespace Marketplace.Core.Features.Reviews;

/// <summary>An assignment as a use case decides on it, with its challenge's state, read inside the transaction.</summary>
public sealed record AssignmentState
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string ChallengeStatus { get; init; } = "";
    public long ProposalId { get; init; }

    /// <summary>The bidding vendor's name while the proposal is submitted; null otherwise.</summary>
    public string? VendorName { get; init; }
    public long ReviewerUserId { get; init; }
    public string Status { get; init; } = "";
    public int ScoreCount { get; init; }
    public bool ScoringClosed { get; init; }

    /// <summary>How the audit log names the proposal.</summary>
    public string ProposalName => VendorName ?? $"#{ProposalId}";
}

/// <summary>A submitted proposal of a challenge under review (no content: names and ids only).</summary>
public sealed record ReviewedProposal
{
    public long ProposalId { get; init; }
    public long VendorId { get; init; }
    public string VendorName { get; init; } = "";
    /// <summary>The vendor's English name, when it gave one (English pages show it).</summary>
    public string? VendorNameEn { get; init; }
    public int CurrentVersion { get; init; }
}

/// <summary>A reviewer the officer may assign (has the Reviewer role).</summary>
public sealed record ReviewerPerson
{
    public long UserId { get; init; }
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
}

/// <summary>The scores of a challenge as they stand: its submitted proposals, its rubric and the aggregate (ranked).</summary>
public sealed record ReviewScores(IReadOnlyList<ReviewedProposal> Proposals, IReadOnlyList<RubricCriterion> Rubric, IReadOnlyList<ProposalAggregate> Aggregate)
{
    public IReadOnlyDictionary<long, string> VendorNames => Proposals.ToDictionary(p => p.ProposalId, p => p.VendorName);
}

/// <summary>Review data read and written inside a use case's transaction. Scores are only ever appended.</summary>
public interface IReviewStore
{
    /// <summary>Whether the challenge's technical scoring has closed (its price envelopes are open).</summary>
    Task<bool> ScoringClosedAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    Task<AssignmentState?> LoadAssignmentAsync(IUnitOfWork work, long assignmentId, CancellationToken cancellationToken);

    /// <summary>The submitted proposals of a challenge, oldest first.</summary>
    Task<IReadOnlyList<ReviewedProposal>> SubmittedProposalsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    /// <summary>The challenge's proposals this user is conflicted with: a member of the bidding organisation or a consortium partner.</summary>
    Task<IReadOnlySet<long>> ConflictedProposalIdsAsync(IUnitOfWork work, long challengeId, long userId, CancellationToken cancellationToken);

    /// <summary>The user, when they hold the Reviewer role; null otherwise.</summary>
    Task<ReviewerPerson?> ReviewerAsync(IUnitOfWork work, long userId, CancellationToken cancellationToken);

    /// <summary>Proposals of the challenge this reviewer is already on (live) or declared a conflict with, and that status.</summary>
    Task<IReadOnlyDictionary<long, string>> ExistingAssignmentsAsync(IUnitOfWork work, long challengeId, long userId, CancellationToken cancellationToken);

    /// <summary>The reviewer's open assignments across challenges whose technical scoring has not closed.</summary>
    Task<int> OpenAssignmentCountAsync(IUnitOfWork work, long userId, CancellationToken cancellationToken);

    /// <summary>
    /// The new assignment's id, or null when the same assignment was made at the same moment by another request.
    /// <paramref name="officerUserId"/> is null when the system assigned it (automatic assignment after closing);
    /// <paramref name="dueAt"/> is when its scores are due (<see cref="ReviewOptions.ScoresDueAt"/>).
    /// </summary>
    Task<long?> InsertAssignmentAsync(IUnitOfWork work, long challengeId, long proposalId, long reviewerUserId, long? officerUserId, DateTimeOffset now,
        DateTimeOffset dueAt, CancellationToken cancellationToken);

    /// <summary>Applies an assignment move guarded by the state it was decided from; false means someone moved it first.</summary>
    Task<bool> ApplyAsync(IUnitOfWork work, long assignmentId, AssignmentMove move, long actorUserId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<RubricCriterion>> CriteriaAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    /// <summary>Writes the rubric's rows; the caller has checked that no score refers to the old ones.</summary>
    Task ReplaceCriteriaAsync(IUnitOfWork work, long challengeId, IReadOnlyList<RubricCriterion> criteria, CancellationToken cancellationToken);

    Task<int> ScoreCountAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    /// <summary>Appends one save of scores: new rows only.</summary>
    Task AppendScoresAsync(IUnitOfWork work, long assignmentId, IReadOnlyList<ScoreEntry> scores, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The submitted proposals, rubric and aggregate of a challenge, inside the transaction.</summary>
    Task<ReviewScores> ScoresAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    /// <summary>Records that technical scoring closed (the price envelopes open); the number of submitted proposals, or null when it already had.</summary>
    Task<int?> CloseScoringAsync(IUnitOfWork work, long challengeId, long userId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<int?> QuotaAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    Task SetQuotaAsync(IUnitOfWork work, long challengeId, int quota, long userId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Reviewers with a live or accepted assignment on the challenge.</summary>
    Task<IReadOnlyList<long>> AssignedReviewerIdsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);
}

/// <summary>The award decision, written once in the decision's transaction.</summary>
public interface IAwardStore
{
    Task<bool> ExistsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    Task InsertAsync(IUnitOfWork work, long challengeId, AwardPlan plan, int quota, long userId, DateTimeOffset now, IReadOnlyList<ReviewedProposal> winnersInOrder,
        CancellationToken cancellationToken);

    /// <summary>Records an "awarded" signal for the matcher's re-ranker.</summary>
    Task RecordAwardedAsync(IUnitOfWork work, long challengeId, long vendorId, long userId, CancellationToken cancellationToken);
}
