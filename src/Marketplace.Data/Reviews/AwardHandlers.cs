using Marketplace.Core.Awards;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Notifications;
using Marketplace.Core.Reviews;
using Marketplace.Data.Matching;
using Marketplace.Data.Notifications;

namespace Marketplace.Data.Reviews;

public sealed record QuotaSet(long ChallengeId, int Quota);

/// <summary>An officer sets how many proposals may win this challenge (until the decision); audited.</summary>
public sealed class SetAwardQuotaHandler(ReviewSteps steps)
{
    public async Task<Result<QuotaSet>> HandleAsync(Actor actor, long challengeId, int? quota, CancellationToken cancellationToken)
    {
        var now = steps.Now();
        await using var connection = await steps.Reviews.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await steps.Lifecycle.LoadStateAsync(connection, transaction, challengeId, cancellationToken);
        if (ReviewAccess.AsOfficer(state, actor, challengeId) is { } denied)
        {
            return denied;
        }

        if (state!.Status is not (ChallengeStatus.Closed or ChallengeStatus.UnderReview))
        {
            return Error.Conflict("The quota can be set while the challenge is in review, before the decision.");
        }

        if (AwardRules.ValidQuota(quota) is { } invalid)
        {
            return invalid;
        }

        await steps.Reviews.SetQuotaAsync(connection, transaction, challengeId, quota!.Value, actor.UserId, now, cancellationToken);
        await steps.Audit.AppendAsync(connection, transaction, challengeId, actor.UserId, ReviewActions.QuotaChanged, null, null,
            quota.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new QuotaSet(challengeId, quota.Value);
    }
}

public sealed record AwardDecided(long ChallengeId, string Outcome, IReadOnlyList<long> WinnerProposalIds, DateTimeOffset DecidedAt);

/// <summary>
/// The award decision, once, after technical scoring closed, in one transaction: the decision, winners in rank
/// order and feedback rows; the challenge's move to Awarded or NotAwarded (audited with who, when and why); an
/// "awarded" match signal per winner; and notifications to the winners, each non-winner (with their feedback), the
/// enterprise and the reviewers. A second decision is a Conflict.
/// </summary>
public sealed class DecideAwardHandler(ReviewSteps steps, AwardStore awards, MatchStore matches, ReviewOptions options)
{
    public async Task<Result<AwardDecided>> HandleAsync(Actor actor, long challengeId, AwardInput input, CancellationToken cancellationToken)
    {
        var now = steps.Now();
        await using var connection = await steps.Reviews.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await steps.Lifecycle.LoadStateAsync(connection, transaction, challengeId, cancellationToken);
        if (ReviewAccess.AsOfficer(state, actor, challengeId) is { } denied)
        {
            return denied;
        }

        if (await awards.ExistsAsync(connection, transaction, challengeId, cancellationToken))
        {
            return Error.Conflict("The decision on this challenge has already been recorded; it cannot be changed.");
        }

        if (state!.Status != ChallengeStatus.UnderReview)
        {
            return Error.Conflict("Only a challenge under review can be decided.");
        }

        if (!await ReviewStore.ScoringClosedAsync(connection, transaction, challengeId, cancellationToken))
        {
            return Error.Conflict("Close technical scoring (and open the price envelopes) before recording the decision.");
        }

        var (proposals, aggregate) = await steps.AggregateAsync(connection, transaction, challengeId, cancellationToken);
        var ranked = aggregate.Select(a => a.ProposalId).ToList();
        var quota = await steps.Reviews.QuotaAsync(connection, transaction, challengeId, cancellationToken) ?? options.DefaultAwardQuota;
        var plan = AwardRules.Validate(input, ranked, quota);
        if (!plan.IsSuccess)
        {
            return plan.Error!;
        }

        var decision = plan.Value!;
        var winners = decision.WinnersInRankOrder.Select(id => proposals.First(p => p.ProposalId == id)).ToList();
        var move = decision.NoAward ? ChallengeWorkflow.DeclineAward(state.Status, decision.Reason) : ChallengeWorkflow.Award(state.Status);
        if (!move.IsSuccess)
        {
            return move.Error!;
        }

        var why = decision.NoAward ? decision.Reason : decision.Reason is null
            ? string.Join(", ", winners.Select(w => w.VendorName))
            : $"{string.Join(", ", winners.Select(w => w.VendorName))}: {decision.Reason}";
        var transition = move.Value! with { Reason = why };
        if (!await steps.Lifecycle.ApplyAsync(connection, transaction, challengeId, transition, now, cancellationToken))
        {
            return Error.Conflict("The challenge changed state meanwhile; reload it and try again.");
        }

        await steps.Audit.AppendAsync(connection, transaction, challengeId, actor.UserId, transition, now, cancellationToken);
        await awards.InsertAsync(connection, transaction, challengeId, decision.NoAward ? AwardOutcome.NotAwarded : AwardOutcome.Awarded, decision.Reason,
            quota, actor.UserId, now, winners, decision.Feedback, cancellationToken);
        foreach (var w in winners)
        {
            await matches.RecordSignalAsync(connection, transaction, challengeId, w.VendorId, "awarded", actor.UserId, cancellationToken);
            await steps.Notifications.AddAsync(connection, transaction, await NotificationStore.OrganisationMembersAsync(connection, transaction, w.VendorId, cancellationToken),
                NotificationKinds.AwardWon, challengeId, state.Title, null, now, cancellationToken);
        }

        foreach (var p in proposals.Where(p => !decision.WinnersInRankOrder.Contains(p.ProposalId)))
        {
            await steps.Notifications.AddAsync(connection, transaction, await NotificationStore.OrganisationMembersAsync(connection, transaction, p.VendorId, cancellationToken),
                NotificationKinds.AwardNotWon, challengeId, state.Title, decision.Feedback[p.ProposalId], now, cancellationToken);
        }

        await steps.Notifications.AddAsync(connection, transaction, await NotificationStore.EnterpriseMembersAsync(connection, transaction, challengeId, cancellationToken),
            NotificationKinds.AwardDecided, challengeId, state.Title, why, now, cancellationToken);
        var reviewers = await steps.Reviews.AssignedReviewerIdsAsync(connection, transaction, challengeId, cancellationToken);
        await steps.Notifications.AddAsync(connection, transaction, await AwardStore.UsersAsync(connection, transaction, reviewers, steps.Reviews.Connections.Dialect, cancellationToken),
            NotificationKinds.ReviewConcluded, challengeId, state.Title, null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AwardDecided(challengeId, decision.NoAward ? AwardOutcome.NotAwarded : AwardOutcome.Awarded, decision.WinnersInRankOrder, now);
    }
}
