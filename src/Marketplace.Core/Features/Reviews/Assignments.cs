using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Notifications;
using Marketplace.Core.Reviews;

namespace Marketplace.Core.Features.Reviews;

/// <summary>Assign a reviewer to the proposals named, or (none named) to every submitted proposal of the challenge.</summary>
public sealed record ReviewerAssignment(long ChallengeId, long ReviewerUserId, IReadOnlyList<long>? ProposalIds) : IChallengeReviewRequest;

public sealed record AssignedProposal(long AssignmentId, long ProposalId, string VendorName);

public sealed record SkippedProposal(long ProposalId, string VendorName, string Reason);

/// <summary>What an assignment request did: the assignments made, the proposals left out and why, and whether review started.</summary>
public sealed record AssignmentsMade(long ChallengeId, long ReviewerUserId, bool ReviewStarted, IReadOnlyList<AssignedProposal> Assigned, IReadOnlyList<SkippedProposal> Skipped);

/// <summary>What an assignment decision is made from, read inside the transaction.</summary>
public sealed record AssignmentCandidates(
    IReadOnlyList<ReviewedProposal> Proposals,
    IReadOnlySet<long> Conflicted,
    ReviewerPerson? Reviewer,
    IReadOnlyDictionary<long, string> Existing,
    int OpenAssignments,
    bool HasRubric);

/// <summary>The decided assignments: to whom, which proposals, which were left out, and the move that starts review (if it does).</summary>
public sealed record AssignmentPlan(ReviewerPerson Reviewer, IReadOnlyList<ReviewedProposal> Targets, IReadOnlyList<SkippedProposal> Skipped, ChallengeTransition? StartsReview);

/// <summary>
/// The rules of assigning a reviewer, without I/O. Conflicts of interest (the reviewer belongs to the bidding
/// organisation or a consortium partner) are applied first, as data; then the Reviewer role, duplicates and the load
/// limit. Named proposals are refused one by one; when none are named, the ones that do not fit are left out and
/// reported. The first assignment starts review (Closed → UnderReview).
/// </summary>
public static class AssignmentRules
{
    /// <summary>Whether reviewers may be assigned to the challenge at all: closed or under review, scoring open, proposals to review.</summary>
    public static Error? MayAssign(ChallengeState challenge, bool scoringClosed, int submittedProposals)
    {
        if (challenge.Status is not (ChallengeStatus.Closed or ChallengeStatus.UnderReview))
        {
            return Error.Conflict("Reviewers are assigned to a challenge whose deadline has passed, until technical scoring closes.");
        }

        if (scoringClosed)
        {
            return Error.Conflict(ReviewPolicy.ScoringClosed);
        }

        return submittedProposals == 0 ? Error.Conflict("This challenge has no submitted proposal to review.") : null;
    }

    public static Result<AssignmentPlan> Plan(ChallengeState challenge, bool scoringClosed, ReviewerAssignment request, AssignmentCandidates candidates, int maxOpenAssignments)
    {
        var proposals = candidates.Proposals;
        if (MayAssign(challenge, scoringClosed, proposals.Count) is { } refused)
        {
            return refused;
        }

        var named = request.ProposalIds is { Count: > 0 };
        if (named && request.ProposalIds!.FirstOrDefault(id => proposals.All(p => p.ProposalId != id)) is var unknown and not 0)
        {
            return Error.Invalid("proposalIds", $"Proposal {unknown} is not a submitted proposal of this challenge.");
        }

        var targets = named ? proposals.Where(p => request.ProposalIds!.Contains(p.ProposalId)).ToList() : proposals.ToList();
        var skipped = new List<SkippedProposal>();

        // Conflicts of interest first, as data: nothing else is considered for a conflicted proposal.
        foreach (var p in targets.Where(p => candidates.Conflicted.Contains(p.ProposalId)).ToList())
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

        if (candidates.Reviewer is not { } reviewer)
        {
            return Error.Invalid("reviewerUserId", "This person does not have the Reviewer role; only reviewers can be assigned.");
        }

        foreach (var p in targets.Where(p => candidates.Existing.ContainsKey(p.ProposalId)).ToList())
        {
            var declared = candidates.Existing[p.ProposalId] == AssignmentStatus.ConflictDeclared;
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

        var open = candidates.OpenAssignments;
        if (open + targets.Count > maxOpenAssignments)
        {
            return Error.Conflict($"{reviewer.Name} has {open} open review assignments; {targets.Count} more would exceed the limit of {maxOpenAssignments} per reviewer.");
        }

        var start = challenge.Status == ChallengeStatus.Closed ? ChallengeWorkflow.StartReview(challenge.Status).Value : null;
        return new AssignmentPlan(reviewer, targets, skipped, start);
    }
}

/// <summary>
/// An officer assigns a reviewer to a closed challenge (see <see cref="AssignmentRules"/>). The first assignment
/// starts review (audited) and creates the default rubric; the reviewer is notified. A refusal changes nothing. The
/// challenge must already be closed: closing at the deadline is the scheduler's work, never a side effect of this.
/// </summary>
public sealed class AssignReviewer(IChallengeLifecycleStore lifecycle, IReviewStore reviews, ReviewOptions options)
    : OfficerReviewUseCase<ReviewerAssignment, AssignmentCandidates, AssignmentPlan, AssignmentsMade>(lifecycle, reviews)
{
    protected override async Task<AssignmentCandidates> LoadDetailAsync(UseCaseContext context, ReviewerAssignment request, ChallengeState challenge, CancellationToken cancellationToken)
    {
        var work = context.Work;
        return new AssignmentCandidates(
            await Reviews.SubmittedProposalsAsync(work, challenge.Id, cancellationToken),
            await Reviews.ConflictedProposalIdsAsync(work, challenge.Id, request.ReviewerUserId, cancellationToken),
            await Reviews.ReviewerAsync(work, request.ReviewerUserId, cancellationToken),
            await Reviews.ExistingAssignmentsAsync(work, challenge.Id, request.ReviewerUserId, cancellationToken),
            await Reviews.OpenAssignmentCountAsync(work, request.ReviewerUserId, cancellationToken),
            (await Reviews.CriteriaAsync(work, challenge.Id, cancellationToken)).Count > 0);
    }

    protected override Result<AssignmentPlan> Decide(UseCaseContext context, ReviewerAssignment request, ReviewSubject<AssignmentCandidates> subject) =>
        AssignmentRules.Plan(subject.Challenge, subject.ScoringClosed, request, subject.Detail, options.MaxOpenAssignmentsPerReviewer);

    protected override async Task<Result<AssignmentsMade>> ApplyAsync(UseCaseContext context, ReviewerAssignment request, ReviewSubject<AssignmentCandidates> subject,
        AssignmentPlan plan, CancellationToken cancellationToken)
    {
        var challenge = subject.Challenge;
        if (plan.StartsReview is { } start)
        {
            if (await MoveChallengeAsync(context, challenge, start, cancellationToken) is { } moved)
            {
                return moved;
            }

            if (!subject.Detail.HasRubric)
            {
                await Reviews.ReplaceCriteriaAsync(context.Work, challenge.Id, RubricRules.Defaults, cancellationToken);
            }
        }

        var assigned = new List<AssignedProposal>();
        foreach (var p in plan.Targets)
        {
            if (await Reviews.InsertAssignmentAsync(context.Work, challenge.Id, p.ProposalId, plan.Reviewer.UserId, context.Person.UserId, context.Now,
                options.ScoresDueAt(context.Now), cancellationToken) is not { } id)
            {
                return Error.Conflict($"{plan.Reviewer.Name} was assigned to one of these proposals at the same moment; reload the page.");
            }

            assigned.Add(new AssignedProposal(id, p.ProposalId, p.VendorName));
            context.Audit(challenge.Id, ReviewActions.ReviewerAssigned, null, null, $"{plan.Reviewer.Name} → {p.VendorName}");
        }

        context.Notify(NotificationKinds.ReviewAssigned, challenge.Id, challenge.Title, null, Audience.Users([plan.Reviewer.UserId]));
        return new AssignmentsMade(challenge.Id, plan.Reviewer.UserId, plan.StartsReview is not null, assigned, plan.Skipped);
    }
}

/// <summary>Remove one assignment of the challenge.</summary>
public sealed record AssignmentRemoval(long ChallengeId, long AssignmentId) : IChallengeReviewRequest;

public sealed record AssignmentChanged(long AssignmentId, long ChallengeId, string Status);

/// <summary>The assignment to remove and its reviewer (when they still hold the Reviewer role).</summary>
public sealed record RemovalCandidate(AssignmentState? Assignment, ReviewerPerson? Reviewer);

/// <summary>An officer removes an assignment that has no scores (kept as a record, status removed); the reviewer is told.</summary>
public sealed class RemoveAssignment(IChallengeLifecycleStore lifecycle, IReviewStore reviews)
    : OfficerReviewUseCase<AssignmentRemoval, RemovalCandidate, AssignmentMove, AssignmentChanged>(lifecycle, reviews)
{
    protected override async Task<RemovalCandidate> LoadDetailAsync(UseCaseContext context, AssignmentRemoval request, ChallengeState challenge, CancellationToken cancellationToken)
    {
        var assignment = await Reviews.LoadAssignmentAsync(context.Work, request.AssignmentId, cancellationToken);
        return assignment is null || assignment.ChallengeId != challenge.Id
            ? new RemovalCandidate(null, null)
            : new RemovalCandidate(assignment, await Reviews.ReviewerAsync(context.Work, assignment.ReviewerUserId, cancellationToken));
    }

    protected override Result<AssignmentMove> Decide(UseCaseContext context, AssignmentRemoval request, ReviewSubject<RemovalCandidate> subject) =>
        subject.Detail.Assignment is not { } a
            ? ReviewPolicy.NotFound(request.AssignmentId)
            : AssignmentWorkflow.Remove(a.Status, a.ScoringClosed, a.ScoreCount);

    protected override async Task<Result<AssignmentChanged>> ApplyAsync(UseCaseContext context, AssignmentRemoval request, ReviewSubject<RemovalCandidate> subject,
        AssignmentMove move, CancellationToken cancellationToken)
    {
        var (assignment, reviewer) = (subject.Detail.Assignment!, subject.Detail.Reviewer);
        if (!await Reviews.ApplyAsync(context.Work, assignment.Id, move, context.Person.UserId, context.Now, cancellationToken))
        {
            return Error.Conflict("This assignment changed meanwhile; reload it.");
        }

        context.Audit(assignment.ChallengeId, ReviewActions.ReviewerRemoved, null, null, $"{reviewer?.Name ?? "#" + assignment.ReviewerUserId} → {assignment.ProposalName}");
        context.Notify(NotificationKinds.ReviewAssignmentRemoved, assignment.ChallengeId, subject.Challenge.Title, null, Audience.Users([assignment.ReviewerUserId]));
        return new AssignmentChanged(assignment.Id, assignment.ChallengeId, AssignmentStatus.Removed);
    }
}

/// <summary>The reviewer's answer to an assignment: accept it, or declare a conflict of interest with a reason.</summary>
public sealed record AssignmentAnswer(long AssignmentId, string? Reason = null) : IAssignmentRequest;

/// <summary>The shared shape of a reviewer's answer: move the assignment, audit it naming the proposal, say who is told.</summary>
public abstract class AnswerAssignment(IReviewStore reviews) : ReviewerUseCase<AssignmentAnswer, AssignmentMove, AssignmentChanged>(reviews)
{
    protected abstract string Action { get; }

    protected virtual void Notify(UseCaseContext context, AssignmentState assignment, AssignmentMove move)
    {
    }

    protected override async Task<Result<AssignmentChanged>> ApplyAsync(UseCaseContext context, AssignmentAnswer request, AssignmentState assignment, AssignmentMove move,
        CancellationToken cancellationToken)
    {
        if (!await Reviews.ApplyAsync(context.Work, assignment.Id, move, context.Person.UserId, context.Now, cancellationToken))
        {
            return Error.Conflict("This assignment changed meanwhile; reload it.");
        }

        context.Audit(assignment.ChallengeId, Action, null, null, move.Reason is null ? assignment.ProposalName : $"{assignment.ProposalName}: {move.Reason}");
        Notify(context, assignment, move);
        return new AssignmentChanged(assignment.Id, assignment.ChallengeId, move.To);
    }
}

/// <summary>The assigned reviewer takes the assignment on: from now on they read the technical envelope and score it.</summary>
public sealed class AcceptAssignment(IReviewStore reviews) : AnswerAssignment(reviews)
{
    protected override string Action => ReviewActions.ReviewAccepted;

    protected override Result<AssignmentMove> Decide(UseCaseContext context, AssignmentAnswer request, AssignmentState assignment) =>
        AssignmentWorkflow.Accept(assignment.Status, assignment.ScoringClosed);
}

/// <summary>The assigned reviewer declares a conflict of interest; the officers are told, with the reason.</summary>
public sealed class DeclareConflict(IReviewStore reviews) : AnswerAssignment(reviews)
{
    protected override string Action => ReviewActions.ConflictDeclared;

    protected override Result<AssignmentMove> Decide(UseCaseContext context, AssignmentAnswer request, AssignmentState assignment) =>
        AssignmentWorkflow.DeclareConflict(assignment.Status, assignment.ScoringClosed, request.Reason);

    protected override void Notify(UseCaseContext context, AssignmentState assignment, AssignmentMove move) =>
        context.Notify(NotificationKinds.ReviewConflictDeclared, assignment.ChallengeId, assignment.ChallengeTitle, move.Reason, Audience.Officers);
}
