using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Proposals;
using Marketplace.Core.Reviews;
using Marketplace.Data.Audit;
using Marketplace.Data.Challenges;
using Marketplace.Data.Proposals;
using Marketplace.Data.Reviews;
using Marketplace.Web.Features.Matching;
using Marketplace.Web.Features.Proposals;
using Marketplace.Web.Infrastructure;

namespace Marketplace.Web.Features.Reviews;

/// <summary>One proposal on the officers' board: its aggregate, the vendor, and the price once the envelopes are open.</summary>
public sealed record BoardProposal(long ProposalId, string VendorName, ProposalAggregate Aggregate, PriceEnvelope? Price, IReadOnlyList<ReviewerSuggestion> Suggestions);

/// <summary>Everything an officer needs to run the review and record the decision of one challenge.</summary>
public sealed record ReviewBoard
{
    public long ChallengeId { get; init; }
    public string Title { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset DeadlineAt { get; init; }
    public IReadOnlyList<RubricCriterion> Rubric { get; init; } = [];
    public bool RubricFrozen { get; init; }
    public IReadOnlyList<AssignmentItem> Assignments { get; init; } = [];
    public IReadOnlyList<BoardProposal> Proposals { get; init; } = [];
    public IReadOnlyList<ReviewerPerson> Reviewers { get; init; } = [];
    public bool ScoringClosed { get; init; }
    public IReadOnlyList<string> MissingBeforeClosing { get; init; } = [];
    public int Quota { get; init; }
    public AwardDecision? Decision { get; init; }
    public IReadOnlyList<AuditEntry> Audit { get; init; } = [];
}

/// <summary>A reviewer's assignment: the proposal's technical envelope (once accepted), the rubric, their latest scores and history.</summary>
public sealed record ReviewWork
{
    public required AssignmentItem Assignment { get; init; }
    public TechnicalEnvelope? Technical { get; init; }
    public IReadOnlyList<RubricCriterion> Rubric { get; init; } = [];
    public IReadOnlyList<ScoreRecord> Latest { get; init; } = [];
    public IReadOnlyList<ScoreRecord> History { get; init; } = [];
}

/// <summary>One criterion of a vendor's own result: the mean and the reviewers' comments (reviewers anonymous).</summary>
public sealed record OwnCriterionResult(long CriterionId, string NameZh, string NameEn, int Weight, double Mean, IReadOnlyList<string> Comments);

/// <summary>What the vendor sees of its proposal after the decision: outcome, feedback, its own scores.</summary>
public sealed record ProposalOutcome(long ProposalId, long ChallengeId, string Outcome, bool Won, int? Position, string? Feedback, double? WeightedTotal, IReadOnlyList<OwnCriterionResult> Criteria);

/// <summary>One row of the ranking the enterprise sees after the decision (no reviewer names or comments).</summary>
public sealed record RankingRow(long ProposalId, string VendorName, int? Rank, double? WeightedTotal, bool Won, IReadOnlyList<CriterionAggregate> Criteria);

/// <summary>The decision as a party may see it: public winners; the ranking for the enterprise and officers only.</summary>
public sealed record ChallengeAward(long ChallengeId, string Status, string? Outcome, string? Reason, DateTimeOffset? DecidedAt, IReadOnlyList<AwardWinner> Winners,
    IReadOnlyList<RubricCriterion>? Rubric, IReadOnlyList<RankingRow>? Ranking);

/// <summary>
/// The review reads behind both the pages and the API, each deciding who may see what: the board is for programme
/// officers; an assignment for its reviewer; a proposal's outcome for its author organisation, after the decision;
/// the decision's winners are public, its ranking is shared with the challenge's enterprise after the decision.
/// </summary>
public sealed class ReviewReader(
    ReviewStore reviews, ReviewSteps steps, AwardStore awards, ProposalStore proposals, ChallengeStore challenges, AuditLog audit,
    ReviewerSuggestionReader suggestions, ReviewOptions options, Viewer viewer, TimeProvider clock)
{
    public async Task<Result<ReviewBoard>> BoardAsync(long challengeId, bool withSuggestions, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(challengeId, cancellationToken);
        if (challenge is null || !await viewer.MaySeeAsync(challenge, cancellationToken))
        {
            return ChallengePolicy.NotFound(challengeId);
        }

        if (!viewer.IsInRole(Roles.Officer))
        {
            return Error.Forbidden("Only a programme officer runs the review of a challenge.");
        }

        if (!ProposalRules.IsUnsealed(challenge.DeadlineAt, clock.GetUtcNow()))
        {
            return Error.Conflict("Review starts after the challenge's deadline.");
        }

        await using var connection = await reviews.Connections.OpenAsync(cancellationToken);
        var (submitted, aggregate) = await steps.AggregateAsync(connection, null, challengeId, cancellationToken);
        var rubric = await reviews.CriteriaAsync(connection, null, challengeId, cancellationToken);
        var closed = await ReviewStore.ScoringClosedAsync(connection, null, challengeId, cancellationToken);
        var prices = closed ? await proposals.OpenedPriceEnvelopesAsync(challengeId, await viewer.ForProposalsAsync(clock, cancellationToken), cancellationToken) : new Dictionary<long, PriceEnvelope>();
        var assignments = await reviews.ForChallengeAsync(challengeId, cancellationToken);
        var reviewerIds = (await reviews.ReviewersAsync(cancellationToken)).Select(r => r.UserId).ToHashSet();
        // Reviewers already on a proposal (or who declared a conflict with it) are not suggested for it again.
        var taken = assignments.Where(x => x.Status != AssignmentStatus.Removed).Select(x => (x.ProposalId, x.ReviewerUserId)).ToHashSet();
        var board = new List<BoardProposal>();
        foreach (var a in aggregate)
        {
            var p = submitted.First(s => s.ProposalId == a.ProposalId);
            var suggested = withSuggestions && !closed ? (await suggestions.ForProposalAsync(a.ProposalId, cancellationToken) ?? [])
                    .Where(s => reviewerIds.Contains(s.ReviewerUserId) && !taken.Contains((a.ProposalId, s.ReviewerUserId))).ToList()
                : [];
            board.Add(new BoardProposal(a.ProposalId, p.VendorName, a, prices.GetValueOrDefault(a.ProposalId), suggested));
        }

        return new ReviewBoard
        {
            ChallengeId = challengeId,
            Title = challenge.Title,
            Status = challenge.Status,
            DeadlineAt = challenge.DeadlineAt,
            Rubric = rubric,
            RubricFrozen = closed || assignments.Any(x => x.ScoredCriteria > 0),
            Assignments = assignments,
            Proposals = board,
            Reviewers = await reviews.ReviewersAsync(cancellationToken),
            ScoringClosed = closed,
            MissingBeforeClosing = challenge.Status == ChallengeStatus.UnderReview && !closed
                ? ReviewAggregator.MissingBeforeClosing(aggregate, submitted.ToDictionary(s => s.ProposalId, s => s.VendorName)) : [],
            Quota = await reviews.QuotaAsync(challengeId, cancellationToken) ?? options.DefaultAwardQuota,
            Decision = await awards.DecisionAsync(challengeId, cancellationToken),
            Audit = await audit.ForChallengeAsync(challengeId, cancellationToken),
        };
    }

    public async Task<IReadOnlyList<AssignmentItem>> MineAsync(CancellationToken cancellationToken) =>
        viewer.UserId is { } id && viewer.IsInRole(Roles.Reviewer) ? await reviews.ForReviewerAsync(id, cancellationToken) : [];

    /// <summary>The reviewer's own assignment; NotFound for anyone else (another reviewer included).</summary>
    public async Task<Result<ReviewWork>> WorkAsync(long assignmentId, CancellationToken cancellationToken)
    {
        if (viewer.UserId is not { } userId || !viewer.IsInRole(Roles.Reviewer)
            || await reviews.OfReviewerAsync(assignmentId, userId, cancellationToken) is not { } assignment)
        {
            return ReviewAccess.NotFound(assignmentId);
        }

        var proposal = await proposals.FindForReviewerAsync(assignment.ProposalId, userId, clock.GetUtcNow(), cancellationToken);
        var history = await reviews.HistoryAsync(assignmentId, cancellationToken);
        return new ReviewWork
        {
            Assignment = assignment,
            Technical = proposal?.Technical,
            Rubric = await reviews.CriteriaAsync(assignment.ChallengeId, cancellationToken),
            Latest = history.GroupBy(h => h.CriterionId).Select(g => g.First()).ToList(),
            History = history,
        };
    }

    /// <summary>The author organisation's outcome, feedback and own scores, once the decision is recorded.</summary>
    public async Task<Result<ProposalOutcome>> OutcomeAsync(long proposalId, CancellationToken cancellationToken)
    {
        var proposal = await proposals.FindAsync(proposalId, await viewer.ForProposalsAsync(clock, cancellationToken), cancellationToken);
        if (proposal is null || !proposal.IsAuthor)
        {
            return ProposalAccess.NotFound(proposalId);
        }

        var decision = await awards.DecisionAsync(proposal.ChallengeId, cancellationToken);
        if (decision is null || proposal.Status != ProposalStatus.Submitted)
        {
            return Error.Conflict("No decision has been recorded on this proposal yet.");
        }

        await using var connection = await reviews.Connections.OpenAsync(cancellationToken);
        var (_, aggregate) = await steps.AggregateAsync(connection, null, proposal.ChallengeId, cancellationToken);
        var mine = aggregate.First(a => a.ProposalId == proposalId);
        var rubric = await reviews.CriteriaAsync(connection, null, proposal.ChallengeId, cancellationToken);
        var latest = (await reviews.LatestScoresAsync(connection, null, proposal.ChallengeId, cancellationToken)).Where(s => s.ProposalId == proposalId).ToList();
        var complete = mine.Criteria.Count == 0 ? [] : latest.Where(s => mine.IncompleteReviews.All(i => i.AssignmentId != s.AssignmentId)).ToList();
        var winner = decision.Winners.FirstOrDefault(w => w.ProposalId == proposalId);
        return new ProposalOutcome(proposalId, proposal.ChallengeId, decision.Outcome, winner is not null, winner?.Position,
            winner is null ? await awards.FeedbackAsync(proposalId, cancellationToken) : null, mine.WeightedTotal,
            rubric.Select(c => new OwnCriterionResult(c.Id, c.NameZh, c.NameEn, c.Weight,
                mine.Criteria.FirstOrDefault(a => a.CriterionId == c.Id)?.Mean ?? 0,
                complete.Where(s => s.CriterionId == c.Id).OrderBy(s => s.AssignmentId).Select(s => s.Comment).ToList())).ToList());
    }

    /// <summary>
    /// The decision: winners are public once recorded; the challenge's enterprise and officers also get the ranking
    /// (weighted totals and per-criterion means, no reviewers or comments). Before the decision, null fields.
    /// </summary>
    public async Task<Result<ChallengeAward>> AwardAsync(long challengeId, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(challengeId, cancellationToken);
        if (challenge is null || !await viewer.MaySeeAsync(challenge, cancellationToken))
        {
            return ChallengePolicy.NotFound(challengeId);
        }

        var decision = await awards.DecisionAsync(challengeId, cancellationToken);
        if (decision is null)
        {
            return new ChallengeAward(challengeId, challenge.Status, null, null, null, [], null, null);
        }

        var sharesRanking = viewer.IsInRole(Roles.Officer) || await viewer.OwnsAsync(challenge.EnterpriseId, cancellationToken);
        IReadOnlyList<RankingRow>? ranking = null;
        IReadOnlyList<RubricCriterion>? rubric = null;
        if (sharesRanking)
        {
            await using var connection = await reviews.Connections.OpenAsync(cancellationToken);
            var (submitted, aggregate) = await steps.AggregateAsync(connection, null, challengeId, cancellationToken);
            rubric = await reviews.CriteriaAsync(connection, null, challengeId, cancellationToken);
            ranking = aggregate.Select(a => new RankingRow(a.ProposalId, submitted.First(s => s.ProposalId == a.ProposalId).VendorName, a.Rank, a.WeightedTotal,
                decision.Winners.Any(w => w.ProposalId == a.ProposalId), a.Criteria)).ToList();
        }

        // The no-award reason is part of the public record, like the winners; feedback never is.
        return new ChallengeAward(challengeId, challenge.Status, decision.Outcome, decision.Reason, decision.DecidedAt, decision.Winners, rubric, ranking);
    }
}
