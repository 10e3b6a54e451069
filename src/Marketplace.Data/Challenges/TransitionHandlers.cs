using System.Data.Common;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Notifications;
using Marketplace.Data.Audit;
using Marketplace.Data.Notifications;

namespace Marketplace.Data.Challenges;

/// <summary>
/// The shared steps of every status change, so each handler below only says who may do it and which move it is:
/// load the challenge in a transaction, check access, ask <see cref="ChallengeWorkflow"/>, apply the move guarded by
/// the state it was decided from, append the audit entry and write the notifications, then commit. A refusal
/// rolls back and changes nothing.
/// </summary>
public sealed class ChallengeTransitionRunner(ChallengeLifecycleStore store, AuditLog audit, NotificationStore notifications, TimeProvider clock)
{
    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<Result<ChallengeTransition>> RunAsync(
        long id,
        long? actorUserId,
        Func<ChallengeState?, Error?> authorise,
        Func<ChallengeState, DateTimeOffset, Result<ChallengeTransition>> decide,
        Func<DbConnection, DbTransaction, ChallengeState, ChallengeTransition, DateTimeOffset, Task> after,
        int? expectedRowVersion,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await store.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await store.LoadStateAsync(connection, transaction, id, cancellationToken);
        if (authorise(state) is { } denied)
        {
            return denied;
        }

        if (expectedRowVersion is { } expected && expected != state!.RowVersion)
        {
            return Error.Conflict(UpdateChallengeHandler.StaleMessage);
        }

        var decision = decide(state!, now);
        if (!decision.IsSuccess)
        {
            return decision;
        }

        var transition = decision.Value!;
        if (!await store.ApplyAsync(connection, transaction, id, transition, now, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return Error.Conflict("The challenge changed state meanwhile; reload it and try again.");
        }

        await audit.AppendAsync(connection, transaction, id, actorUserId, transition, now, cancellationToken);
        await after(connection, transaction, state!, transition, now);
        await transaction.CommitAsync(cancellationToken);
        return transition;
    }

    public async Task NotifyAsync(DbConnection connection, DbTransaction transaction, IEnumerable<Recipient> recipients, string kind, ChallengeState challenge,
        string? reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        await notifications.AddAsync(connection, transaction, recipients, kind, challenge.Id, challenge.Title, reason, now, cancellationToken);
}

/// <summary>The enterprise sends its draft (or returned challenge) to the programme office; officers are notified.</summary>
public sealed class SubmitChallengeHandler(ChallengeTransitionRunner runner)
{
    public Task<Result<ChallengeTransition>> HandleAsync(Actor actor, long id, int? expectedRowVersion, CancellationToken cancellationToken) =>
        runner.RunAsync(id, actor.UserId,
            state => ChallengeAccess.AsOwner(state, actor, id),
            (state, now) => ChallengeWorkflow.SubmitForScreening(state.Status, state.DeadlineAt, now),
            async (connection, transaction, state, _, now) => await runner.NotifyAsync(connection, transaction,
                await NotificationStore.OfficersAsync(connection, transaction, cancellationToken), NotificationKinds.ChallengeSubmitted, state, null, now, cancellationToken),
            expectedRowVersion, cancellationToken);
}

/// <summary>An officer sends a challenge back to its enterprise with what to change.</summary>
public sealed class ReturnChallengeHandler(ChallengeTransitionRunner runner)
{
    public Task<Result<ChallengeTransition>> HandleAsync(Actor actor, long id, string? reason, CancellationToken cancellationToken) =>
        runner.RunAsync(id, actor.UserId,
            state => ChallengeAccess.AsStaff(state, actor, id),
            (state, _) => ChallengeWorkflow.ReturnForChanges(state.Status, reason),
            async (connection, transaction, state, transition, now) => await runner.NotifyAsync(connection, transaction,
                await NotificationStore.EnterpriseMembersAsync(connection, transaction, id, cancellationToken), NotificationKinds.ChallengeReturned, state, transition.Reason, now, cancellationToken),
            null, cancellationToken);
}

/// <summary>An officer rejects a challenge, with the reason its enterprise reads.</summary>
public sealed class RejectChallengeHandler(ChallengeTransitionRunner runner)
{
    public Task<Result<ChallengeTransition>> HandleAsync(Actor actor, long id, string? reason, CancellationToken cancellationToken) =>
        runner.RunAsync(id, actor.UserId,
            state => ChallengeAccess.AsStaff(state, actor, id),
            (state, _) => ChallengeWorkflow.Reject(state.Status, reason),
            async (connection, transaction, state, transition, now) => await runner.NotifyAsync(connection, transaction,
                await NotificationStore.EnterpriseMembersAsync(connection, transaction, id, cancellationToken), NotificationKinds.ChallengeRejected, state, transition.Reason, now, cancellationToken),
            null, cancellationToken);
}

/// <summary>
/// An officer publishes a screened challenge. The negative list is checked again here, on the text as stored, so
/// a flagged challenge cannot be published without an override reason whatever the page showed.
/// </summary>
public sealed class PublishChallengeHandler(ChallengeTransitionRunner runner, ChallengeStore challenges, ChallengeLifecycleStore store, NegativeListStore negativeList)
{
    public async Task<Result<ChallengeTransition>> HandleAsync(Actor actor, long id, string? overrideReason, CancellationToken cancellationToken)
    {
        var detail = await challenges.FindAsync(id, cancellationToken);
        var flags = detail is null ? [] : await negativeList.ScreenAsync(detail, cancellationToken);
        return await runner.RunAsync(id, actor.UserId,
            state => ChallengeAccess.AsStaff(state, actor, id),
            (state, now) => ChallengeWorkflow.Publish(state.Status, state.DeadlineAt, now, flags.Count, overrideReason),
            async (connection, transaction, state, transition, now) =>
            {
                var published = await challenges.FindAsync(connection, transaction, id, cancellationToken);
                await store.AddVersionAsync(connection, transaction, published!, null, actor.UserId, now, cancellationToken);
                await runner.NotifyAsync(connection, transaction, await NotificationStore.EnterpriseMembersAsync(connection, transaction, id, cancellationToken),
                    NotificationKinds.ChallengePublished, state, null, now, cancellationToken);
            },
            null, cancellationToken);
    }
}

/// <summary>The enterprise withdraws its challenge (before screening ends, or while it is open); followers are told.</summary>
public sealed class WithdrawChallengeHandler(ChallengeTransitionRunner runner)
{
    public Task<Result<ChallengeTransition>> HandleAsync(Actor actor, long id, string? reason, CancellationToken cancellationToken) =>
        runner.RunAsync(id, actor.UserId,
            state => ChallengeAccess.AsOwner(state, actor, id),
            (state, _) =>
            {
                var move = ChallengeWorkflow.Withdraw(state.Status);
                return move.IsSuccess && !string.IsNullOrWhiteSpace(reason) ? move.Value! with { Reason = reason.Trim() } : move;
            },
            async (connection, transaction, state, transition, now) =>
            {
                if (transition.From == ChallengeStatus.Published)
                {
                    await runner.NotifyAsync(connection, transaction, await NotificationStore.FollowingVendorsAsync(connection, transaction, id, cancellationToken),
                        NotificationKinds.ChallengeWithdrawn, state, transition.Reason, now, cancellationToken);
                }
            },
            null, cancellationToken);
}

/// <summary>
/// Closes published challenges whose deadline has passed. Idempotent: each closing is guarded by the state, so
/// running it twice (or from the page and the job at once) closes each challenge once. The jobs issue schedules it;
/// pages call it lazily; `marketplace challenges close-due` is its CLI twin.
/// </summary>
public sealed class ChallengeCloser(ChallengeLifecycleStore store, ChallengeTransitionRunner runner)
{
    public async Task<int> CloseDueChallengesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var closed = 0;
        foreach (var id in await store.DueForClosingAsync(now, cancellationToken))
        {
            var result = await runner.RunAsync(id, null,
                state => state is null ? ChallengeAccess.NotFound(id) : null,
                (state, _) => ChallengeWorkflow.Close(state.Status, state.DeadlineAt, now),
                async (connection, transaction, state, _, at) =>
                {
                    var recipients = (await NotificationStore.EnterpriseMembersAsync(connection, transaction, id, cancellationToken))
                        .Concat(await NotificationStore.FollowingVendorsAsync(connection, transaction, id, cancellationToken));
                    await runner.NotifyAsync(connection, transaction, recipients, NotificationKinds.ChallengeClosed, state, null, at, cancellationToken);
                },
                null, cancellationToken);
            if (result.IsSuccess)
            {
                closed++;
            }
        }

        return closed;
    }
}
