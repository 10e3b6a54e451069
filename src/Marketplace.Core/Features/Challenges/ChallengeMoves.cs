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

    protected override Result<ChallengeTransition> Move(UseCaseContext context, ChallengeMove request, ChallengeState state) =>
        ChallengeWorkflow.Withdraw(state.Status, request.Reason);

    protected override Task AfterAsync(UseCaseContext context, ChallengeState state, ChallengeTransition transition, CancellationToken cancellationToken) =>
        transition.From == ChallengeStatus.Published
            ? Notify(context, state, NotificationKinds.ChallengeWithdrawn, transition.Reason, Audience.FollowersOf(state.Id))
            : Task.CompletedTask;
}

/// <summary>A challenge with how many proposals were submitted to it (closing and re-opening decide from both).</summary>
public sealed record ChallengeWithProposals : ChallengeState
{
    public ChallengeWithProposals(ChallengeState state, int submittedProposals)
        : base(state)
    {
        SubmittedProposals = submittedProposals;
    }

    public int SubmittedProposals { get; }

    public static async Task<ChallengeWithProposals?> LoadAsync(IChallengeLifecycleStore store, IUnitOfWork work, long challengeId, CancellationToken cancellationToken)
    {
        var state = await store.LoadStateAsync(work, challengeId, cancellationToken);
        return state is null ? null : new ChallengeWithProposals(state, await store.SubmittedProposalCountAsync(work, challengeId, cancellationToken));
    }
}

/// <summary>
/// Closes one published challenge whose deadline has passed (the system acts: no actor). With proposals it goes to
/// review; with none it ends without an award at once ("no proposals"), and its enterprise is told it may re-open it.
/// Guarded by the state, so running it twice, or from the job and the CLI at once, closes the challenge once.
/// </summary>
public sealed class CloseChallenge(IChallengeLifecycleStore store) : ChallengeMoveUseCase<ChallengeWithProposals>(store)
{
    protected override Task<ChallengeWithProposals?> LoadAsync(UseCaseContext context, ChallengeMove request, CancellationToken cancellationToken) =>
        ChallengeWithProposals.LoadAsync(Store, context.Work, request.ChallengeId, cancellationToken);

    protected override Error? Authorise(UseCaseContext context, ChallengeMove request, ChallengeWithProposals? state) =>
        state is null ? ChallengePolicy.NotFound(request.ChallengeId) : null;

    protected override Result<ChallengeTransition> Move(UseCaseContext context, ChallengeMove request, ChallengeWithProposals state) =>
        state.SubmittedProposals == 0
            ? ChallengeWorkflow.CloseWithoutProposals(state.Status, state.DeadlineAt, context.Now)
            : ChallengeWorkflow.Close(state.Status, state.DeadlineAt, context.Now);

    protected override Task AfterAsync(UseCaseContext context, ChallengeWithProposals state, ChallengeTransition transition, CancellationToken cancellationToken)
    {
        // A closed challenge leaves the matcher's open set.
        context.After(FollowUp.Rematch("challenge closed"));
        if (transition.Action == ChallengeActions.ClosedWithoutProposals)
        {
            context.Notify(NotificationKinds.ChallengeClosedWithoutProposals, state.Id, state.Title, null, Audience.EnterpriseOf(state.Id));
            // Vendors who followed it hear that it closed (a challenge already closed before told them so then).
            if (transition.From == ChallengeStatus.Published)
            {
                context.Notify(NotificationKinds.ChallengeClosed, state.Id, state.Title, null, Audience.FollowersOf(state.Id));
            }

            return Task.CompletedTask;
        }

        // With proposals in, the automatic reviewer assignment follows (a job, after this commits).
        context.After(FollowUp.ChallengeClosed(state.Id));
        context.Notify(NotificationKinds.ChallengeClosed, state.Id, state.Title, null, Audience.EnterpriseOf(state.Id), Audience.FollowersOf(state.Id));
        return Task.CompletedTask;
    }
}

/// <summary>The enterprise opens a challenge that ended without proposals again, with a new deadline.</summary>
public sealed record ReopenChallengeRequest(long ChallengeId, DateTimeOffset? NewDeadline, string? Note = null);

/// <summary>
/// Re-opens a challenge that ended because no proposal arrived: it is published again with the new deadline and the
/// text kept as a new version (its id, page, NDA acceptances and questions stay). Vendors who followed it and the
/// programme office are told. The text was screened when it was first published and is unchanged; changing it later
/// goes through the usual published-version edit.
/// </summary>
public sealed class ReopenChallenge(IChallengeLifecycleStore store) : UseCase<ReopenChallengeRequest, ChallengeWithProposals, ChallengeTransition, ChallengeTransition>
{
    public const string DefaultNote = "Re-opened with a new deadline.";

    protected override Task<ChallengeWithProposals?> LoadAsync(UseCaseContext context, ReopenChallengeRequest request, CancellationToken cancellationToken) =>
        ChallengeWithProposals.LoadAsync(store, context.Work, request.ChallengeId, cancellationToken);

    protected override Error? Authorise(UseCaseContext context, ReopenChallengeRequest request, ChallengeWithProposals? state) =>
        ChallengePolicy.AsOwner(context.Actor, state, request.ChallengeId);

    protected override Result<ChallengeTransition> Decide(UseCaseContext context, ReopenChallengeRequest request, ChallengeWithProposals state)
    {
        var move = ChallengeWorkflow.Reopen(state.Status, state.SubmittedProposals, request.NewDeadline, context.Now);
        if (!move.IsSuccess)
        {
            return move;
        }

        var note = string.IsNullOrWhiteSpace(request.Note) ? DefaultNote : request.Note.Trim();
        return note.Length > ChallengeWorkflow.MaxReasonLength
            ? Error.Invalid("note", $"The note must be at most {ChallengeWorkflow.MaxReasonLength} characters.")
            : move.Value! with { Reason = note };
    }

    protected override async Task<Result<ChallengeTransition>> ApplyAsync(UseCaseContext context, ReopenChallengeRequest request, ChallengeWithProposals state, ChallengeTransition transition,
        CancellationToken cancellationToken)
    {
        var deadline = request.NewDeadline!.Value.ToUniversalTime();
        if (!await store.ReopenAsync(context.Work, state.Id, deadline, context.Now, cancellationToken))
        {
            return Error.Conflict("The challenge changed state meanwhile; reload it and try again.");
        }

        var reopened = await store.FindDetailAsync(context.Work, state.Id, cancellationToken);
        await store.AddVersionAsync(context.Work, reopened!, transition.Reason, context.Actor?.UserId, context.Now, cancellationToken);
        context.Audit(state.Id, transition);
        context.Notify(NotificationKinds.ChallengeReopened, state.Id, state.Title, transition.Reason, Audience.FollowersOf(state.Id), Audience.Officers);
        context.After(FollowUp.Rematch("challenge re-opened"));
        return transition;
    }
}

/// <summary>What publishing decides from: the challenge and the negative-list flags on its text as stored.</summary>
public sealed record PublishCandidate : ChallengeState
{
    public PublishCandidate(ChallengeState state)
        : base(state)
    {
    }

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
        return new PublishCandidate(state) { Detail = detail, NegativeListFlags = flags.Count };
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
