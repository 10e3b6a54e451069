using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Features.Reviews;
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
/// The officers' review board of one challenge as one query: the challenge, then the review tables in one batch
/// (<see cref="ReviewStore.BoardDataAsync"/>), the proposals with their prices in one, the decision and the audit log;
/// a fixed number of reads whatever the number of proposals. Who may see it is <see cref="ReviewPolicy"/>'s rule.
/// </summary>
public sealed class ReviewBoardQuery(
    ReviewStore reviews, AwardStore awards, ProposalStore proposals, ChallengeStore challenges, AuditLog audit,
    ReviewerSuggestionReader suggestions, ReviewOptions options, Viewer viewer, TimeProvider clock)
{
    public async Task<Result<ReviewBoard>> RunAsync(long challengeId, bool withSuggestions, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(challengeId, cancellationToken);
        var actor = await viewer.ActorAsync(cancellationToken);
        if (challenge is null || !ChallengePolicy.MaySee(actor, challenge.Status, challenge.EnterpriseId))
        {
            return ChallengePolicy.NotFound(challengeId);
        }

        if (ReviewPolicy.AsOfficer(actor, challenge.Status, challenge.EnterpriseId, challengeId) is { } denied)
        {
            return denied;
        }

        if (!ProposalRules.IsUnsealed(challenge.DeadlineAt, clock.GetUtcNow()))
        {
            return Error.Conflict("Review starts after the challenge's deadline.");
        }

        var data = await reviews.BoardDataAsync(challengeId, cancellationToken);
        var (submitted, aggregate) = (data.Scores.Proposals, data.Scores.Aggregate);
        // Technical text (for suggestions) and prices (once open) of every submitted proposal, in one read.
        var views = (await proposals.ListForChallengeAsync(challengeId, await viewer.ForProposalsAsync(clock, cancellationToken), cancellationToken))
            .Where(v => !v.IsAuthor).ToDictionary(v => v.Id);
        var suggested = withSuggestions && !data.ScoringClosed
            ? await suggestions.ForProposalsAsync(aggregate.Select(a => views.GetValueOrDefault(a.ProposalId)).OfType<ProposalView>().ToList(), challenge.Tags,
                data.ConflictedUsers, cancellationToken)
            : new Dictionary<long, IReadOnlyList<ReviewerSuggestion>>();
        var reviewerIds = data.Reviewers.Select(r => r.UserId).ToHashSet();
        // Reviewers already on a proposal (or who declared a conflict with it) are not suggested for it again.
        var taken = data.Assignments.Where(x => x.Status != AssignmentStatus.Removed).Select(x => (x.ProposalId, x.ReviewerUserId)).ToHashSet();
        var board = aggregate.Select(a => new BoardProposal(
            a.ProposalId,
            submitted.First(s => s.ProposalId == a.ProposalId) is var vendor ? Display.Name(vendor.VendorName, vendor.VendorNameEn) : "",
            a,
            data.ScoringClosed ? views.GetValueOrDefault(a.ProposalId)?.Price : null,
            suggested.GetValueOrDefault(a.ProposalId, []).Where(s => reviewerIds.Contains(s.ReviewerUserId) && !taken.Contains((a.ProposalId, s.ReviewerUserId))).ToList()))
            .ToList();

        return new ReviewBoard
        {
            ChallengeId = challengeId,
            Title = challenge.Title,
            Status = challenge.Status,
            DeadlineAt = challenge.DeadlineAt,
            Rubric = data.Scores.Rubric,
            RubricFrozen = data.ScoringClosed || data.Assignments.Any(x => x.ScoredCriteria > 0),
            Assignments = data.Assignments,
            Proposals = board,
            Reviewers = data.Reviewers,
            ScoringClosed = data.ScoringClosed,
            MissingBeforeClosing = challenge.Status == ChallengeStatus.UnderReview && !data.ScoringClosed
                ? ReviewAggregator.MissingBeforeClosing(aggregate, data.Scores.Proposals.ToDictionary(p => p.ProposalId, p => Display.Name(p.VendorName, p.VendorNameEn))) : [],
            Quota = data.Quota ?? options.DefaultAwardQuota,
            Decision = await awards.DecisionAsync(challengeId, cancellationToken),
            Audit = await audit.ForChallengeAsync(challengeId, cancellationToken),
        };
    }
}

/// <summary>
/// The review reads behind both the pages and the API, each asking <see cref="ReviewPolicy"/> who may see what: an
/// assignment for its reviewer (its technical envelope once accepted); a proposal's outcome for its author
/// organisation, after the decision; the decision's winners are public, its ranking is shared with the challenge's
/// enterprise and the officers after the decision.
/// </summary>
public sealed class ReviewReader(ReviewStore reviews, AwardStore awards, ProposalStore proposals, ChallengeStore challenges, Viewer viewer, TimeProvider clock)
{
    public async Task<IReadOnlyList<AssignmentItem>> MineAsync(CancellationToken cancellationToken) =>
        await viewer.ActorAsync(cancellationToken) is { } actor && ReviewPolicy.IsReviewer(actor) ? await reviews.ForReviewerAsync(actor.UserId, cancellationToken) : [];

    /// <summary>The reviewer's own assignment; NotFound for anyone else (another reviewer included).</summary>
    public async Task<Result<ReviewWork>> WorkAsync(long assignmentId, CancellationToken cancellationToken)
    {
        var actor = await viewer.ActorAsync(cancellationToken);
        var assignment = await reviews.AssignmentAsync(assignmentId, cancellationToken);
        if (ReviewPolicy.AsAssignedReviewer(actor, assignment?.ReviewerUserId, assignmentId) is { } hidden)
        {
            return hidden;
        }

        var technical = ReviewPolicy.MayReadTechnical(actor, assignment!.ReviewerUserId, assignment.Status)
            ? (await proposals.FindForReviewerAsync(assignment.ProposalId, actor!.UserId, clock.GetUtcNow(), cancellationToken))?.Technical
            : null;
        var history = await reviews.HistoryAsync(assignmentId, cancellationToken);
        return new ReviewWork
        {
            Assignment = assignment,
            Technical = technical,
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
            return Core.Features.Proposals.ProposalPolicy.NotFound(proposalId);
        }

        var decision = await awards.DecisionAsync(proposal.ChallengeId, cancellationToken);
        if (decision is null || proposal.Status != ProposalStatus.Submitted)
        {
            return Error.Conflict("No decision has been recorded on this proposal yet.");
        }

        var scores = await reviews.ScoresAsync(proposal.ChallengeId, cancellationToken);
        var mine = scores.Aggregate.First(a => a.ProposalId == proposalId);
        var latest = (await reviews.LatestScoresAsync(proposal.ChallengeId, cancellationToken)).Where(s => s.ProposalId == proposalId).ToList();
        var complete = mine.Criteria.Count == 0 ? [] : latest.Where(s => mine.IncompleteReviews.All(i => i.AssignmentId != s.AssignmentId)).ToList();
        var winner = decision.Winners.FirstOrDefault(w => w.ProposalId == proposalId);
        return new ProposalOutcome(proposalId, proposal.ChallengeId, decision.Outcome, winner is not null, winner?.Position,
            winner is null ? await awards.FeedbackAsync(proposalId, cancellationToken) : null, mine.WeightedTotal,
            scores.Rubric.Select(c => new OwnCriterionResult(c.Id, c.NameZh, c.NameEn, c.Weight,
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
        return challenge is null ? ChallengePolicy.NotFound(challengeId) : await AwardAsync(challenge, cancellationToken);
    }

    /// <summary>The same for a challenge the page has read already (the challenge page passes its own).</summary>
    public async Task<Result<ChallengeAward>> AwardAsync(ChallengeDetail challenge, CancellationToken cancellationToken)
    {
        var challengeId = challenge.Id;
        var actor = await viewer.ActorAsync(cancellationToken);
        if (!ChallengePolicy.MaySee(actor, challenge.Status, challenge.EnterpriseId))
        {
            return ChallengePolicy.NotFound(challengeId);
        }

        var decision = await awards.DecisionAsync(challengeId, cancellationToken);
        if (decision is null)
        {
            return new ChallengeAward(challengeId, challenge.Status, null, null, null, [], null, null);
        }

        IReadOnlyList<RankingRow>? ranking = null;
        IReadOnlyList<RubricCriterion>? rubric = null;
        if (ReviewPolicy.SeesRanking(actor, challenge.EnterpriseId))
        {
            var scores = await reviews.ScoresAsync(challengeId, cancellationToken);
            rubric = scores.Rubric;
            var names = scores.Proposals.ToDictionary(p => p.ProposalId, p => Display.Name(p.VendorName, p.VendorNameEn));
            ranking = scores.Aggregate.Select(a => new RankingRow(a.ProposalId, names[a.ProposalId], a.Rank, a.WeightedTotal,
                decision.Winners.Any(w => w.ProposalId == a.ProposalId), a.Criteria)).ToList();
        }

        // The no-award reason is part of the public record, like the winners; feedback never is.
        return new ChallengeAward(challengeId, challenge.Status, decision.Outcome, decision.Reason, decision.DecidedAt, decision.Winners, rubric, ranking);
    }
}
