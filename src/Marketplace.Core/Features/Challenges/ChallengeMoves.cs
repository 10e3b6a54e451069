using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Notifications;

namespace Marketplace.Core.Features.Challenges;

/// <summary>A request to move a challenge: its id, the reason when the move takes one, and the row version the caller read.</summary>
public sealed record ChallengeMove(long ChallengeId, string? Reason = null, int? ExpectedRowVersion = null);

/// <summary>
/// The shared shape of every status change of a challenge: load its state, let the subclass authorise and pick the
/// move from <see cref="ChallengeWorkflow"/>, apply it guarded by the state it was decided from, audit it, and let the
/// subclass say who is told. Subclasses hold only what differs: who may, which move, whom to notify.
/// </summary>
public abstract class ChallengeMoveUseCase<TState>(IChallengeLifecycleStore store) : UseCase<ChallengeMove, TState, ChallengeTransition, ChallengeTransition>
    where TState : ChallengeState
{
    public const string StaleMessage = "Someone else saved this challenge after you opened it. Your changes were not saved: reload the page to see the current text, then make your changes again.";

    protected IChallengeLifecycleStore Store => store;

    protected abstract Result<ChallengeTransition> Move(UseCaseContext context, ChallengeMove request, TState state);

    /// <summary>What else the move writes (a version) and whom it notifies.</summary>
    protected abstract Task AfterAsync(UseCaseContext context, TState state, ChallengeTransition transition, CancellationToken cancellationToken);

    protected override Result<ChallengeTransition> Decide(UseCaseContext context, ChallengeMove request, TState state) =>
        request.ExpectedRowVersion is { } expected && expected != state.RowVersion ? Error.Conflict(StaleMessage) : Move(context, request, state);

    protected override async Task<Result<ChallengeTransition>> ApplyAsync(UseCaseContext context, ChallengeMove request, TState state, ChallengeTransition transition,
        CancellationToken cancellationToken)
    {
        if (!await store.ApplyAsync(context.Work, state.Id, transition, context.Now, cancellationToken))
        {
            return Error.Conflict("The challenge changed state meanwhile; reload it and try again.");
        }

        context.Audit(state.Id, transition);
        await AfterAsync(context, state, transition, cancellationToken);
        return transition;
    }
}

/// <summary>A status change decided from the challenge's state alone.</summary>
public abstract class ChallengeMoveUseCase(IChallengeLifecycleStore store) : ChallengeMoveUseCase<ChallengeState>(store)
{
    protected override Task<ChallengeState?> LoadAsync(UseCaseContext context, ChallengeMove request, CancellationToken cancellationToken) =>
        Store.LoadStateAsync(context.Work, request.ChallengeId, cancellationToken);

    protected static Task Notify(UseCaseContext context, ChallengeState state, string kind, string? reason, params Audience[] audiences)
    {
        context.Notify(kind, state.Id, state.Title, reason, audiences);
        return Task.CompletedTask;
    }
}

/// <summary>The enterprise sends its draft (or returned challenge) to the programme office; officers are notified.</summary>
public sealed class SubmitChallenge(IChallengeLifecycleStore store) : ChallengeMoveUseCase(store)
{
    protected override Error? Authorise(UseCaseContext context, ChallengeMove request, ChallengeState? state) => ChallengePolicy.AsOwner(context.Actor, state, request.ChallengeId);

    protected override Result<ChallengeTransition> Move(UseCaseContext context, ChallengeMove request, ChallengeState state) =>
        ChallengeWorkflow.SubmitForScreening(state.Status, state.DeadlineAt, context.Now);

    protected override Task AfterAsync(UseCaseContext context, ChallengeState state, ChallengeTransition transition, CancellationToken cancellationToken) =>
        Notify(context, state, NotificationKinds.ChallengeSubmitted, null, Audience.Officers);
}

/// <summary>An officer sends a challenge back to its enterprise with what to change.</summary>
public sealed class ReturnChallenge(IChallengeLifecycleStore store) : ChallengeMoveUseCase(store)
{
    protected override Error? Authorise(UseCaseContext context, ChallengeMove request, ChallengeState? state) => ChallengePolicy.AsStaff(context.Actor, state, request.ChallengeId);

    protected override Result<ChallengeTransition> Move(UseCaseContext context, ChallengeMove request, ChallengeState state) =>
        ChallengeWorkflow.ReturnForChanges(state.Status, request.Reason);

    protected override Task AfterAsync(UseCaseContext context, ChallengeState state, ChallengeTransition transition, CancellationToken cancellationToken) =>
        Notify(context, state, NotificationKinds.ChallengeReturned, transition.Reason, Audience.EnterpriseOf(state.Id));
}

/// <summary>An officer rejects a challenge, with the reason its enterprise reads.</summary>
public sealed class RejectChallenge(IChallengeLifecycleStore store) : ChallengeMoveUseCase(store)
{
    protected override Error? Authorise(UseCaseContext context, ChallengeMove request, ChallengeState? state) => ChallengePolicy.AsStaff(context.Actor, state, request.ChallengeId);

    protected override Result<ChallengeTransition> Move(UseCaseContext context, ChallengeMove request, ChallengeState state) =>
        ChallengeWorkflow.Reject(state.Status, request.Reason);

    protected override Task AfterAsync(UseCaseContext context, ChallengeState state, ChallengeTransition transition, CancellationToken cancellationToken) =>
        Notify(context, state, NotificationKinds.ChallengeRejected, transition.Reason, Audience.EnterpriseOf(state.Id));
}

/// <summary>The enterprise withdraws its challenge (before screening ends, or while it is open); followers are told.</summary>
public sealed class WithdrawChallenge(IChallengeLifecycleStore store) : ChallengeMoveUseCase(store)
{
    protected override Error? Authorise(UseCaseContext context, ChallengeMove request, ChallengeState? state) => ChallengePolicy.AsOwner(context.Actor, state, request.ChallengeId);

    protected override Result<ChallengeTransition> Move(UseCaseContext context, ChallengeMove request, ChallengeState state)
    {
        var move = ChallengeWorkflow.Withdraw(state.Status);
        return move.IsSuccess && !string.IsNullOrWhiteSpace(request.Reason) ? move.Value! with { Reason = request.Reason.Trim() } : move;
    }

    protected override Task AfterAsync(UseCaseContext context, ChallengeState state, ChallengeTransition transition, CancellationToken cancellationToken) =>
        transition.From == ChallengeStatus.Published
            ? Notify(context, state, NotificationKinds.ChallengeWithdrawn, transition.Reason, Audience.FollowersOf(state.Id))
            : Task.CompletedTask;
}

/// <summary>
/// Closes one published challenge whose deadline has passed (the system acts: no actor). Guarded by the state, so
/// running it twice, or from the job and the CLI at once, closes the challenge once.
/// </summary>
public sealed class CloseChallenge(IChallengeLifecycleStore store) : ChallengeMoveUseCase(store)
{
    protected override Error? Authorise(UseCaseContext context, ChallengeMove request, ChallengeState? state) =>
        state is null ? ChallengePolicy.NotFound(request.ChallengeId) : null;

    protected override Result<ChallengeTransition> Move(UseCaseContext context, ChallengeMove request, ChallengeState state) =>
        ChallengeWorkflow.Close(state.Status, state.DeadlineAt, context.Now);

    protected override Task AfterAsync(UseCaseContext context, ChallengeState state, ChallengeTransition transition, CancellationToken cancellationToken)
    {
        // A closed challenge leaves the matcher's open set; the automatic reviewer assignment will take the second request.
        context.After(FollowUp.Rematch("challenge closed"));
        context.After(FollowUp.ChallengeClosed(state.Id));
        return Notify(context, state, NotificationKinds.ChallengeClosed, null, Audience.EnterpriseOf(state.Id), Audience.FollowersOf(state.Id));
    }
}

/// <summary>What publishing decides from: the challenge and the negative-list flags on its text as stored.</summary>
public sealed record PublishCandidate : ChallengeState
{
    public ChallengeDetail Detail { get; init; } = new();

    public int NegativeListFlags { get; init; }
}

/// <summary>
/// An officer publishes a screened challenge. The negative list is checked again here, on the text as stored, so a
/// flagged challenge cannot be published without an override reason whatever the page showed. The published text is
/// kept as a version.
/// </summary>
public sealed class PublishChallenge(IChallengeLifecycleStore store, INegativeListScreen negativeList) : ChallengeMoveUseCase<PublishCandidate>(store)
{
    protected override async Task<PublishCandidate?> LoadAsync(UseCaseContext context, ChallengeMove request, CancellationToken cancellationToken)
    {
        var state = await Store.LoadStateAsync(context.Work, request.ChallengeId, cancellationToken);
        var detail = state is null ? null : await Store.FindDetailAsync(context.Work, request.ChallengeId, cancellationToken);
        if (state is null || detail is null)
        {
            return null;
        }

        var flags = await negativeList.ScreenAsync(detail, cancellationToken);
        return new PublishCandidate
        {
            Id = state.Id,
            EnterpriseId = state.EnterpriseId,
            Title = state.Title,
            Status = state.Status,
            Visibility = state.Visibility,
            DeadlineAt = state.DeadlineAt,
            RowVersion = state.RowVersion,
            Detail = detail,
            NegativeListFlags = flags.Count,
        };
    }

    protected override Error? Authorise(UseCaseContext context, ChallengeMove request, PublishCandidate? state) => ChallengePolicy.AsStaff(context.Actor, state, request.ChallengeId);

    protected override Result<ChallengeTransition> Move(UseCaseContext context, ChallengeMove request, PublishCandidate state) =>
        ChallengeWorkflow.Publish(state.Status, state.DeadlineAt, context.Now, state.NegativeListFlags, request.Reason);

    protected override async Task AfterAsync(UseCaseContext context, PublishCandidate state, ChallengeTransition transition, CancellationToken cancellationToken)
    {
        // Read back after the move, so the version holds exactly what was published.
        var published = await Store.FindDetailAsync(context.Work, state.Id, cancellationToken);
        await Store.AddVersionAsync(context.Work, published!, null, context.Actor?.UserId, context.Now, cancellationToken);
        context.Notify(NotificationKinds.ChallengePublished, state.Id, state.Title, null, Audience.EnterpriseOf(state.Id));
        context.After(FollowUp.Rematch("challenge published"));
    }
}
