using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;

namespace Marketplace.Core.Features.Reviews;

/// <summary>A request about one challenge's review.</summary>
public interface IChallengeReviewRequest
{
    long ChallengeId { get; }
}

/// <summary>Closing technical scoring asks for nothing but the challenge.</summary>
public sealed record ReviewOf(long ChallengeId) : IChallengeReviewRequest;

/// <summary>What an officer's review step decides from: the challenge, whether scoring has closed, and what the step itself reads.</summary>
public sealed record ReviewSubject<TDetail>(ChallengeState Challenge, bool ScoringClosed, TDetail Detail);

/// <summary>
/// The shared shape of every step the programme office takes on a challenge's review: load the challenge and whether
/// technical scoring has closed, let the subclass read what else it decides from, and authorise as an officer with
/// <see cref="ReviewPolicy"/>. Subclasses hold only their rule and their writes.
/// </summary>
public abstract class OfficerReviewUseCase<TRequest, TDetail, TDecision, TResult>(IChallengeLifecycleStore lifecycle, IReviewStore reviews)
    : UseCase<TRequest, ReviewSubject<TDetail>, TDecision, TResult>
    where TRequest : IChallengeReviewRequest
{
    protected IReviewStore Reviews => reviews;

    /// <summary>What the step reads besides the challenge, inside the transaction.</summary>
    protected abstract Task<TDetail> LoadDetailAsync(UseCaseContext context, TRequest request, ChallengeState challenge, CancellationToken cancellationToken);

    protected sealed override async Task<ReviewSubject<TDetail>?> LoadAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken)
    {
        var challenge = await lifecycle.LoadStateAsync(context.Work, request.ChallengeId, cancellationToken);
        if (challenge is null || !ReviewPolicy.RunsReview(context.Actor))
        {
            // Nothing more is read for someone who may not run the review: Authorise refuses them.
            return challenge is null ? null : new ReviewSubject<TDetail>(challenge, false, default!);
        }

        return new ReviewSubject<TDetail>(challenge, await reviews.ScoringClosedAsync(context.Work, challenge.Id, cancellationToken),
            await LoadDetailAsync(context, request, challenge, cancellationToken));
    }

    protected sealed override Error? Authorise(UseCaseContext context, TRequest request, ReviewSubject<TDetail>? subject) =>
        ReviewPolicy.AsOfficer(context.Actor, subject?.Challenge, request.ChallengeId);

    /// <summary>Moves the challenge itself (review started, awarded), guarded by the state it was decided from, and audits it.</summary>
    protected async Task<Error?> MoveChallengeAsync(UseCaseContext context, ChallengeState challenge, ChallengeTransition transition, CancellationToken cancellationToken)
    {
        if (!await lifecycle.ApplyAsync(context.Work, challenge.Id, transition, context.Now, cancellationToken))
        {
            return Error.Conflict("The challenge changed state meanwhile; reload it and try again.");
        }

        context.Audit(challenge.Id, transition);
        return null;
    }
}

/// <summary>A step the assigned reviewer takes on their own assignment.</summary>
public interface IAssignmentRequest
{
    long AssignmentId { get; }
}

/// <summary>
/// The shared shape of a reviewer's steps on an assignment: load it, authorise its reviewer with
/// <see cref="ReviewPolicy"/> (anyone else is told it does not exist).
/// </summary>
public abstract class ReviewerUseCase<TRequest, TDecision, TResult>(IReviewStore reviews) : UseCase<TRequest, AssignmentState, TDecision, TResult>
    where TRequest : IAssignmentRequest
{
    protected IReviewStore Reviews => reviews;

    protected sealed override Task<AssignmentState?> LoadAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken) =>
        reviews.LoadAssignmentAsync(context.Work, request.AssignmentId, cancellationToken);

    protected sealed override Error? Authorise(UseCaseContext context, TRequest request, AssignmentState? assignment) =>
        ReviewPolicy.AsAssignedReviewer(context.Actor, assignment?.ReviewerUserId, request.AssignmentId);
}
