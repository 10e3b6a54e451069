using System.Data.Common;
using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Notifications;
using Marketplace.Core.Reviews;
using Marketplace.Data.Audit;
using Marketplace.Data.Challenges;
using Marketplace.Data.Identity;
using Marketplace.Data.Notifications;
using Marketplace.Data.Proposals;

namespace Marketplace.Data.Reviews;

/// <summary>Review settings: `Review:MaxOpenAssignmentsPerReviewer` and `Awards:DefaultQuota` in configuration.</summary>
public sealed record ReviewOptions
{
    public const int DefaultMaxOpenAssignments = 15;

    public int MaxOpenAssignmentsPerReviewer { get; init; } = DefaultMaxOpenAssignments;
    public int DefaultAwardQuota { get; init; } = Core.Awards.AwardRules.DefaultQuota;
}

/// <summary>Who may run the programme office's review steps: a challenge they cannot see is NotFound, one they can is Forbidden.</summary>
public static class ReviewAccess
{
    public static Error? AsOfficer(ChallengeState? challenge, Actor actor, long id)
    {
        if (challenge is null)
        {
            return ChallengePolicy.NotFound(id);
        }

        if (actor.Roles.Contains(Roles.Officer))
        {
            return null;
        }

        return ChallengePolicy.IsPubliclyVisible(challenge.Status) || actor.BelongsTo(challenge.EnterpriseId)
            ? Error.Forbidden("Only a programme officer runs the review of a challenge.")
            : ChallengePolicy.NotFound(id);
    }

    /// <summary>An assignment exists only for the reviewer it belongs to.</summary>
    public static Error? AsAssignedReviewer(AssignmentState? assignment, Actor actor, long id) =>
        assignment is not null && assignment.ReviewerUserId == actor.UserId && actor.Roles.Contains(Roles.Reviewer) ? null : NotFound(id);

    public static Error NotFound(long id) => Error.NotFound($"There is no review assignment {id}.");

    public const string ScoringClosed = "Technical scoring of this challenge has closed.";
}

public sealed record AssignedProposal(long AssignmentId, long ProposalId, string VendorName);

public sealed record SkippedProposal(long ProposalId, string VendorName, string Reason);

/// <summary>What an assignment request did: the assignments made, the proposals left out and why, and whether review started.</summary>
public sealed record AssignmentsMade(long ChallengeId, long ReviewerUserId, bool ReviewStarted, IReadOnlyList<AssignedProposal> Assigned, IReadOnlyList<SkippedProposal> Skipped);

/// <summary>The shared steps of every review handler: one transaction, the challenge state, the audit log, notifications.</summary>
public sealed class ReviewSteps(ReviewStore reviews, ChallengeLifecycleStore lifecycle, AuditLog audit, NotificationStore notifications, TimeProvider clock)
{
    public ReviewStore Reviews => reviews;

    public ChallengeLifecycleStore Lifecycle => lifecycle;

    public AuditLog Audit => audit;

    public NotificationStore Notifications => notifications;

    public DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    /// <summary>The aggregate of a challenge inside the caller's transaction.</summary>
    public async Task<(IReadOnlyList<ReviewedProposal> Proposals, IReadOnlyList<ProposalAggregate> Aggregate)> AggregateAsync(
        DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken)
    {
        var proposals = await reviews.SubmittedProposalsAsync(connection, transaction, challengeId, cancellationToken);
        var rubric = await reviews.CriteriaAsync(connection, transaction, challengeId, cancellationToken);
        var accepted = await reviews.AcceptedAssignmentsAsync(connection, transaction, challengeId, cancellationToken);
        var latest = await reviews.LatestScoresAsync(connection, transaction, challengeId, cancellationToken);
        return (proposals, ReviewAggregator.Aggregate(proposals.Select(p => p.ProposalId).ToList(), rubric, accepted, latest));
    }
}

/// <summary>
/// An officer assigns a reviewer to a closed challenge: to the proposals named, or to every submitted proposal
/// (then the proposals the reviewer is conflicted with, or already on, are left out and reported). Conflicts of
/// interest (the reviewer belongs to the bidding organisation or a consortium partner) are applied first; then the
/// Reviewer role, duplicates and the load limit. The first assignment starts review (Closed → UnderReview, audited)
/// and creates the default rubric. A refusal changes nothing.
/// </summary>
public sealed class AssignReviewerHandler(ReviewSteps steps, ChallengeCloser closer, ReviewOptions options)
{
    public async Task<Result<AssignmentsMade>> HandleAsync(Actor actor, long challengeId, long reviewerUserId, IReadOnlyList<long>? proposalIds, CancellationToken cancellationToken)
    {
        var now = steps.Now();
        // A challenge past its deadline may not have been closed by the job yet; closing is idempotent.
        await closer.CloseDueChallengesAsync(cancellationToken);
        await using var connection = await steps.Reviews.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await steps.Lifecycle.LoadStateAsync(connection, transaction, challengeId, cancellationToken);
        if (ReviewAccess.AsOfficer(state, actor, challengeId) is { } denied)
        {
            return denied;
        }

        if (state!.Status is not (ChallengeStatus.Closed or ChallengeStatus.UnderReview))
        {
            return Error.Conflict("Reviewers are assigned to a challenge whose deadline has passed, until technical scoring closes.");
        }

        if (await ReviewStore.ScoringClosedAsync(connection, transaction, challengeId, cancellationToken))
        {
            return Error.Conflict(ReviewAccess.ScoringClosed);
        }

        var proposals = await steps.Reviews.SubmittedProposalsAsync(connection, transaction, challengeId, cancellationToken);
        if (proposals.Count == 0)
        {
            return Error.Conflict("This challenge has no submitted proposal to review.");
        }

        var named = proposalIds is { Count: > 0 };
        if (named && proposalIds!.FirstOrDefault(id => proposals.All(p => p.ProposalId != id)) is var unknown and not 0)
        {
            return Error.Invalid("proposalIds", $"Proposal {unknown} is not a submitted proposal of this challenge.");
        }

        var targets = named ? proposals.Where(p => proposalIds!.Contains(p.ProposalId)).ToList() : proposals.ToList();
        var skipped = new List<SkippedProposal>();

        // Conflicts of interest first, as data: nothing else is considered for a conflicted proposal.
        var conflicted = await steps.Reviews.ConflictedProposalIdsAsync(connection, transaction, challengeId, reviewerUserId, cancellationToken);
        foreach (var p in targets.Where(p => conflicted.Contains(p.ProposalId)).ToList())
        {
            if (named)
            {
                return Error.Conflict($"This reviewer has a conflict of interest with the proposal of {p.VendorName}: they belong to the bidding organisation or a consortium partner.");
            }

            targets.Remove(p);
            skipped.Add(new SkippedProposal(p.ProposalId, p.VendorName, "conflict_of_interest"));
        }

        if (targets.Count == 0)
        {
            return Error.Conflict("This reviewer has a conflict of interest with every proposal of this challenge: they belong to the bidding organisations or their consortium partners.");
        }

        var reviewer = await steps.Reviews.ReviewerAsync(connection, transaction, reviewerUserId, cancellationToken);
        if (reviewer is null)
        {
            return Error.Invalid("reviewerUserId", "This person does not have the Reviewer role; only reviewers can be assigned.");
        }

        var existing = await steps.Reviews.ExistingAssignmentsAsync(connection, transaction, challengeId, reviewerUserId, cancellationToken);
        foreach (var p in targets.Where(p => existing.ContainsKey(p.ProposalId)).ToList())
        {
            var declared = existing[p.ProposalId] == AssignmentStatus.ConflictDeclared;
            if (named)
            {
                return Error.Conflict(declared
                    ? $"{reviewer.Name} declared a conflict of interest with the proposal of {p.VendorName}."
                    : $"{reviewer.Name} is already assigned to the proposal of {p.VendorName}.");
            }

            targets.Remove(p);
            skipped.Add(new SkippedProposal(p.ProposalId, p.VendorName, declared ? "conflict_declared" : "already_assigned"));
        }

        if (targets.Count == 0)
        {
            return Error.Conflict($"{reviewer.Name} is already assigned to (or declared a conflict with) every proposal of this challenge.");
        }

        var open = await steps.Reviews.OpenAssignmentCountAsync(connection, transaction, reviewerUserId, cancellationToken);
        if (open + targets.Count > options.MaxOpenAssignmentsPerReviewer)
        {
            return Error.Conflict($"{reviewer.Name} has {open} open review assignments; {targets.Count} more would exceed the limit of {options.MaxOpenAssignmentsPerReviewer} per reviewer.");
        }

        var started = false;
        if (state.Status == ChallengeStatus.Closed)
        {
            var move = ChallengeWorkflow.StartReview(state.Status).Value!;
            if (!await steps.Lifecycle.ApplyAsync(connection, transaction, challengeId, move, now, cancellationToken))
            {
                return Error.Conflict("The challenge changed state meanwhile; reload it and try again.");
            }

            await steps.Audit.AppendAsync(connection, transaction, challengeId, actor.UserId, move, now, cancellationToken);
            if ((await steps.Reviews.CriteriaAsync(connection, transaction, challengeId, cancellationToken)).Count == 0)
            {
                await steps.Reviews.ReplaceCriteriaAsync(connection, transaction, challengeId, RubricRules.Defaults, cancellationToken);
            }

            started = true;
        }

        var assigned = new List<AssignedProposal>();
        try
        {
            foreach (var p in targets)
            {
                var id = await steps.Reviews.InsertAssignmentAsync(connection, transaction, challengeId, p.ProposalId, reviewerUserId, actor.UserId, now, cancellationToken);
                assigned.Add(new AssignedProposal(id, p.ProposalId, p.VendorName));
                await steps.Audit.AppendAsync(connection, transaction, challengeId, actor.UserId, ReviewActions.ReviewerAssigned, null, null,
                    $"{reviewer.Name} → {p.VendorName}", now, cancellationToken);
            }
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return Error.Conflict($"{reviewer.Name} was assigned to one of these proposals at the same moment; reload the page.");
        }

        var recipients = await AwardStore.UsersAsync(connection, transaction, [reviewerUserId], steps.Reviews.Connections.Dialect, cancellationToken);
        await steps.Notifications.AddAsync(connection, transaction, recipients, NotificationKinds.ReviewAssigned, challengeId, state.Title, null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AssignmentsMade(challengeId, reviewerUserId, started, assigned, skipped);
    }
}

public sealed record AssignmentChanged(long AssignmentId, long ChallengeId, string Status);

/// <summary>The assigned reviewer accepts an assignment or declares a conflict of interest (officers are told, with the reason).</summary>
public sealed class RespondToAssignmentHandler(ReviewSteps steps)
{
    public Task<Result<AssignmentChanged>> AcceptAsync(Actor actor, long assignmentId, CancellationToken cancellationToken) =>
        RunAsync(actor, assignmentId, a => AssignmentWorkflow.Accept(a.Status, a.ScoringClosed), ReviewActions.ReviewAccepted, null, cancellationToken);

    public Task<Result<AssignmentChanged>> DeclareConflictAsync(Actor actor, long assignmentId, string? reason, CancellationToken cancellationToken) =>
        RunAsync(actor, assignmentId, a => AssignmentWorkflow.DeclareConflict(a.Status, a.ScoringClosed, reason), ReviewActions.ConflictDeclared,
            NotificationKinds.ReviewConflictDeclared, cancellationToken);

    private async Task<Result<AssignmentChanged>> RunAsync(Actor actor, long assignmentId, Func<AssignmentState, Result<AssignmentMove>> decide, string action,
        string? notifyOfficers, CancellationToken cancellationToken)
    {
        var now = steps.Now();
        await using var connection = await steps.Reviews.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var assignment = await steps.Reviews.LoadAssignmentAsync(connection, transaction, assignmentId, cancellationToken);
        if (ReviewAccess.AsAssignedReviewer(assignment, actor, assignmentId) is { } denied)
        {
            return denied;
        }

        var decision = decide(assignment!);
        if (!decision.IsSuccess)
        {
            return decision.Error!;
        }

        var move = decision.Value!;
        if (!await steps.Reviews.ApplyAsync(connection, transaction, assignmentId, move, actor.UserId, now, cancellationToken))
        {
            return Error.Conflict("This assignment changed meanwhile; reload it.");
        }

        var proposals = await steps.Reviews.SubmittedProposalsAsync(connection, transaction, assignment!.ChallengeId, cancellationToken);
        var vendor = proposals.FirstOrDefault(p => p.ProposalId == assignment.ProposalId)?.VendorName ?? $"#{assignment.ProposalId}";
        await steps.Audit.AppendAsync(connection, transaction, assignment.ChallengeId, actor.UserId, action, null, null,
            move.Reason is null ? vendor : $"{vendor}: {move.Reason}", now, cancellationToken);
        if (notifyOfficers is not null)
        {
            await steps.Notifications.AddAsync(connection, transaction, await NotificationStore.OfficersAsync(connection, transaction, cancellationToken),
                notifyOfficers, assignment.ChallengeId, assignment.ChallengeTitle, move.Reason, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new AssignmentChanged(assignmentId, assignment.ChallengeId, move.To);
    }
}

/// <summary>An officer removes an assignment that has no scores (kept as a record, status removed); the reviewer is told.</summary>
public sealed class RemoveAssignmentHandler(ReviewSteps steps)
{
    public async Task<Result<AssignmentChanged>> HandleAsync(Actor actor, long challengeId, long assignmentId, CancellationToken cancellationToken)
    {
        var now = steps.Now();
        await using var connection = await steps.Reviews.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await steps.Lifecycle.LoadStateAsync(connection, transaction, challengeId, cancellationToken);
        if (ReviewAccess.AsOfficer(state, actor, challengeId) is { } denied)
        {
            return denied;
        }

        var assignment = await steps.Reviews.LoadAssignmentAsync(connection, transaction, assignmentId, cancellationToken);
        if (assignment is null || assignment.ChallengeId != challengeId)
        {
            return ReviewAccess.NotFound(assignmentId);
        }

        var decision = AssignmentWorkflow.Remove(assignment.Status, assignment.ScoringClosed, assignment.ScoreCount);
        if (!decision.IsSuccess)
        {
            return decision.Error!;
        }

        if (!await steps.Reviews.ApplyAsync(connection, transaction, assignmentId, decision.Value!, actor.UserId, now, cancellationToken))
        {
            return Error.Conflict("This assignment changed meanwhile; reload it.");
        }

        var reviewer = await steps.Reviews.ReviewerAsync(connection, transaction, assignment.ReviewerUserId, cancellationToken);
        var vendor = (await steps.Reviews.SubmittedProposalsAsync(connection, transaction, challengeId, cancellationToken))
            .FirstOrDefault(p => p.ProposalId == assignment.ProposalId)?.VendorName ?? $"#{assignment.ProposalId}";
        await steps.Audit.AppendAsync(connection, transaction, challengeId, actor.UserId, ReviewActions.ReviewerRemoved, null, null,
            $"{reviewer?.Name ?? "#" + assignment.ReviewerUserId} → {vendor}", now, cancellationToken);
        await steps.Notifications.AddAsync(connection, transaction,
            await AwardStore.UsersAsync(connection, transaction, [assignment.ReviewerUserId], steps.Reviews.Connections.Dialect, cancellationToken),
            NotificationKinds.ReviewAssignmentRemoved, challengeId, state!.Title, null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AssignmentChanged(assignmentId, challengeId, AssignmentStatus.Removed);
    }
}

/// <summary>An officer edits the rubric (names and weights) until the first score is recorded; the change is audited.</summary>
public sealed class EditRubricHandler(ReviewSteps steps)
{
    public async Task<Result<IReadOnlyList<RubricCriterion>>> HandleAsync(Actor actor, long challengeId, IReadOnlyList<CriterionInput> criteria, CancellationToken cancellationToken)
    {
        var now = steps.Now();
        await using var connection = await steps.Reviews.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await steps.Lifecycle.LoadStateAsync(connection, transaction, challengeId, cancellationToken);
        if (ReviewAccess.AsOfficer(state, actor, challengeId) is { } denied)
        {
            return denied;
        }

        var closed = await ReviewStore.ScoringClosedAsync(connection, transaction, challengeId, cancellationToken);
        var scores = await steps.Reviews.ScoreCountAsync(connection, transaction, challengeId, cancellationToken);
        if (RubricRules.MayEdit(state!.Status == ChallengeStatus.UnderReview, scores, closed) is { } frozen)
        {
            return frozen;
        }

        var valid = RubricRules.Validate(criteria);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        await steps.Reviews.ReplaceCriteriaAsync(connection, transaction, challengeId, valid.Value!, cancellationToken);
        await steps.Audit.AppendAsync(connection, transaction, challengeId, actor.UserId, ReviewActions.RubricChanged, null, null,
            string.Join("; ", valid.Value!.Select(c => $"{c.NameZh} / {c.NameEn} {c.Weight}")), now, cancellationToken);
        var saved = await steps.Reviews.CriteriaAsync(connection, transaction, challengeId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Result<IReadOnlyList<RubricCriterion>>.Success(saved);
    }
}

public sealed record ScoresSaved(long AssignmentId, DateTimeOffset RecordedAt, IReadOnlyList<ScoreEntry> Scores);

/// <summary>
/// The reviewer saves their scores for an accepted assignment: every criterion 1–10 with a comment. Each save
/// appends rows (the old ones stay as history); the latest per criterion counts until technical scoring closes.
/// </summary>
public sealed class RecordScoresHandler(ReviewSteps steps)
{
    public async Task<Result<ScoresSaved>> HandleAsync(Actor actor, long assignmentId, IReadOnlyList<ScoreInput> scores, CancellationToken cancellationToken)
    {
        var now = steps.Now();
        await using var connection = await steps.Reviews.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var assignment = await steps.Reviews.LoadAssignmentAsync(connection, transaction, assignmentId, cancellationToken);
        if (ReviewAccess.AsAssignedReviewer(assignment, actor, assignmentId) is { } denied)
        {
            return denied;
        }

        if (AssignmentWorkflow.MayScore(assignment!.Status, assignment.ScoringClosed) is { } refused)
        {
            return refused;
        }

        var rubric = await steps.Reviews.CriteriaAsync(connection, transaction, assignment.ChallengeId, cancellationToken);
        var valid = RubricRules.ValidateScores(rubric, scores);
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        await steps.Reviews.AppendScoresAsync(connection, transaction, assignmentId, valid.Value!, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ScoresSaved(assignmentId, now, valid.Value!);
    }
}

/// <summary>
/// An officer closes technical scoring of a challenge under review, which opens its price envelopes (one record:
/// price_envelope_openings). Refused while an accepted review is incomplete or a submitted proposal has no complete
/// review, with the list of what is missing. From then on scores, assignments and the rubric are frozen. Audited.
/// </summary>
public sealed class CloseTechnicalScoringHandler(ReviewSteps steps, ProposalStore proposals)
{
    public async Task<Result<PriceEnvelopesOpened>> HandleAsync(Actor actor, long challengeId, CancellationToken cancellationToken)
    {
        var now = steps.Now();
        await using var connection = await steps.Reviews.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await steps.Lifecycle.LoadStateAsync(connection, transaction, challengeId, cancellationToken);
        if (ReviewAccess.AsOfficer(state, actor, challengeId) is { } denied)
        {
            return denied;
        }

        if (await ReviewStore.ScoringClosedAsync(connection, transaction, challengeId, cancellationToken))
        {
            return Error.Conflict("Technical scoring of this challenge has already closed; its price envelopes are open.");
        }

        if (state!.Status != ChallengeStatus.UnderReview)
        {
            return Error.Conflict("Price envelopes open when technical scoring closes, on a challenge under review: assign reviewers first.");
        }

        var (submitted, aggregate) = await steps.AggregateAsync(connection, transaction, challengeId, cancellationToken);
        var missing = ReviewAggregator.MissingBeforeClosing(aggregate, submitted.ToDictionary(p => p.ProposalId, p => p.VendorName));
        if (missing.Count > 0)
        {
            return Error.Conflict("Technical scoring cannot close yet. " + string.Join(" ", missing));
        }

        try
        {
            var count = await proposals.InsertOpeningAsync(connection, transaction, challengeId, actor.UserId, now, cancellationToken);
            await steps.Audit.AppendAsync(connection, transaction, challengeId, actor.UserId, ReviewActions.ScoringClosed, null, null,
                $"{count} proposals; price envelopes opened", now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new PriceEnvelopesOpened(challengeId, now, count);
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return Error.Conflict("Technical scoring of this challenge has already closed; its price envelopes are open.");
        }
    }
}
