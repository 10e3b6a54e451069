using System.Globalization;
using Marketplace.Core.Application;
using Marketplace.Core.Awards;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Notifications;
using Marketplace.Core.Reviews;

namespace Marketplace.Core.Features.Reviews;

/// <summary>How many proposals may win the challenge.</summary>
public sealed record QuotaChange(long ChallengeId, int? Quota) : IChallengeReviewRequest;

public sealed record QuotaSet(long ChallengeId, int Quota);

/// <summary>An officer sets how many proposals may win this challenge (until the decision); audited.</summary>
public sealed class SetAwardQuota(IChallengeLifecycleStore lifecycle, IReviewStore reviews) : OfficerReviewUseCase<QuotaChange, bool, int, QuotaSet>(lifecycle, reviews)
{
    protected override Task<bool> LoadDetailAsync(UseCaseContext context, QuotaChange request, ChallengeState challenge, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    protected override Result<int> Decide(UseCaseContext context, QuotaChange request, ReviewSubject<bool> subject)
    {
        if (subject.Challenge.Status is not (ChallengeStatus.Closed or ChallengeStatus.UnderReview))
        {
            return Error.Conflict("The quota can be set while the challenge is in review, before the decision.");
        }

        return AwardRules.ValidQuota(request.Quota) is { } invalid ? invalid : request.Quota!.Value;
    }

    protected override async Task<Result<QuotaSet>> ApplyAsync(UseCaseContext context, QuotaChange request, ReviewSubject<bool> subject, int quota,
        CancellationToken cancellationToken)
    {
        var id = subject.Challenge.Id;
        await Reviews.SetQuotaAsync(context.Work, id, quota, context.Person.UserId, context.Now, cancellationToken);
        context.Audit(id, ReviewActions.QuotaChanged, null, null, quota.ToString(CultureInfo.InvariantCulture));
        return new QuotaSet(id, quota);
    }
}

/// <summary>The officer's decision on a challenge.</summary>
public sealed record AwardDecisionRequest(long ChallengeId, AwardInput Input) : IChallengeReviewRequest;

public sealed record AwardDecided(long ChallengeId, string Outcome, IReadOnlyList<long> WinnerProposalIds, DateTimeOffset DecidedAt);

/// <summary>What a decision is made from: whether one was recorded, the scores as they stand and the quota.</summary>
public sealed record AwardCandidates(bool AlreadyDecided, ReviewScores Scores, int Quota, IReadOnlyList<long> Reviewers);

/// <summary>A validated decision: the plan, its winners and the challenge's move (with the reason it is audited with).</summary>
public sealed record AwardVerdict(AwardPlan Plan, IReadOnlyList<ReviewedProposal> Winners, ChallengeTransition Move);

/// <summary>
/// The award decision, once, after technical scoring closed, in one transaction: the decision, winners in rank
/// order and feedback rows; the challenge's move to Awarded or NotAwarded (audited with who, when and why); an
/// "awarded" match signal per winner; and notifications to the winners, each non-winner (with their feedback), the
/// enterprise and the reviewers. A second decision is a Conflict.
/// </summary>
public sealed class DecideAward(IChallengeLifecycleStore lifecycle, IReviewStore reviews, IAwardStore awards, ReviewOptions options)
    : OfficerReviewUseCase<AwardDecisionRequest, AwardCandidates, AwardVerdict, AwardDecided>(lifecycle, reviews)
{
    protected override async Task<AwardCandidates> LoadDetailAsync(UseCaseContext context, AwardDecisionRequest request, ChallengeState challenge, CancellationToken cancellationToken) =>
        new(await awards.ExistsAsync(context.Work, challenge.Id, cancellationToken),
            await Reviews.ScoresAsync(context.Work, challenge.Id, cancellationToken),
            await Reviews.QuotaAsync(context.Work, challenge.Id, cancellationToken) ?? options.DefaultAwardQuota,
            await Reviews.AssignedReviewerIdsAsync(context.Work, challenge.Id, cancellationToken));

    protected override Result<AwardVerdict> Decide(UseCaseContext context, AwardDecisionRequest request, ReviewSubject<AwardCandidates> subject)
    {
        var (challenge, candidates) = (subject.Challenge, subject.Detail);
        if (candidates.AlreadyDecided)
        {
            return Error.Conflict("The decision on this challenge has already been recorded; it cannot be changed.");
        }

        if (challenge.Status != ChallengeStatus.UnderReview)
        {
            return Error.Conflict("Only a challenge under review can be decided.");
        }

        if (!subject.ScoringClosed)
        {
            return Error.Conflict("Close technical scoring (and open the price envelopes) before recording the decision.");
        }

        var plan = AwardRules.Validate(request.Input, candidates.Scores.Aggregate.Select(a => a.ProposalId).ToList(), candidates.Quota);
        if (!plan.IsSuccess)
        {
            return plan.Error!;
        }

        var decision = plan.Value!;
        var winners = decision.WinnersInRankOrder.Select(id => candidates.Scores.Proposals.First(p => p.ProposalId == id)).ToList();
        var move = decision.NoAward ? ChallengeWorkflow.DeclineAward(challenge.Status, decision.Reason) : ChallengeWorkflow.Award(challenge.Status);
        if (!move.IsSuccess)
        {
            return move.Error!;
        }

        var names = string.Join(", ", winners.Select(w => w.VendorName));
        var why = decision.NoAward ? decision.Reason : decision.Reason is null ? names : $"{names}: {decision.Reason}";
        return new AwardVerdict(decision, winners, move.Value! with { Reason = why });
    }

    protected override async Task<Result<AwardDecided>> ApplyAsync(UseCaseContext context, AwardDecisionRequest request, ReviewSubject<AwardCandidates> subject,
        AwardVerdict verdict, CancellationToken cancellationToken)
    {
        var (challenge, plan) = (subject.Challenge, verdict.Plan);
        if (await MoveChallengeAsync(context, challenge, verdict.Move, cancellationToken) is { } moved)
        {
            return moved;
        }

        var outcome = plan.NoAward ? AwardOutcome.NotAwarded : AwardOutcome.Awarded;
        await awards.InsertAsync(context.Work, challenge.Id, plan, subject.Detail.Quota, context.Person.UserId, context.Now, verdict.Winners, cancellationToken);
        foreach (var w in verdict.Winners)
        {
            await awards.RecordAwardedAsync(context.Work, challenge.Id, w.VendorId, context.Person.UserId, cancellationToken);
            context.Notify(NotificationKinds.AwardWon, challenge.Id, challenge.Title, null, Audience.MembersOf(w.VendorId));
        }

        foreach (var p in subject.Detail.Scores.Proposals.Where(p => !plan.WinnersInRankOrder.Contains(p.ProposalId)))
        {
            context.Notify(NotificationKinds.AwardNotWon, challenge.Id, challenge.Title, plan.Feedback[p.ProposalId], Audience.MembersOf(p.VendorId));
        }

        context.Notify(NotificationKinds.AwardDecided, challenge.Id, challenge.Title, verdict.Move.Reason, Audience.EnterpriseOf(challenge.Id));
        context.Notify(NotificationKinds.ReviewConcluded, challenge.Id, challenge.Title, null, Audience.Users(subject.Detail.Reviewers));
        return new AwardDecided(challenge.Id, outcome, plan.WinnersInRankOrder, context.Now);
    }
}
