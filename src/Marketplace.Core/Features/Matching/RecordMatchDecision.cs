using Marketplace.Core.Application;
using Marketplace.Core.Common;
using Marketplace.Core.Matching;

namespace Marketplace.Core.Features.Matching;

/// <summary>A decision about one suggested vendor: invited, shortlisted or dismissed (<see cref="MatchSignalKind.GivenOnSuggestions"/>).</summary>
public sealed record RecordMatchDecisionRequest(long ChallengeId, long VendorId, string? Kind);

/// <summary>The challenge's owner and whether the vendor is among its stored suggestions.</summary>
public sealed record SuggestionCandidate(long ChallengeId, long EnterpriseId, bool VendorSuggested);

/// <summary>The reads and the write of a decision about a suggestion, inside the use case's transaction.</summary>
public interface IMatchDecisionStore
{
    /// <summary>The enterprise that posted the challenge, or null when there is no such challenge.</summary>
    Task<long?> ChallengeOwnerAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    Task<bool> IsSuggestedAsync(IUnitOfWork work, long challengeId, long vendorId, CancellationToken cancellationToken);

    Task RecordSignalAsync(IUnitOfWork work, long challengeId, long vendorId, string kind, long? userId, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>
/// Someone who may see a challenge's suggestions records a decision about one of the suggested vendors; the
/// panel shows the latest, and the re-ranker learns from all of them. The page and the API both run this.
/// </summary>
public sealed class RecordMatchDecision(IMatchDecisionStore store) : UseCase<RecordMatchDecisionRequest, SuggestionCandidate, string, bool>
{
    /// <summary>The vendor is not among the challenge's suggestions (the challenge itself is visible).</summary>
    public static Error NotSuggested(long challengeId, long vendorId) =>
        Error.NotFound($"Vendor {vendorId} is not among the suggestions for challenge {challengeId}.");

    protected override async Task<SuggestionCandidate?> LoadAsync(UseCaseContext context, RecordMatchDecisionRequest request, CancellationToken cancellationToken)
    {
        var owner = await store.ChallengeOwnerAsync(context.Work, request.ChallengeId, cancellationToken);
        return owner is { } enterpriseId
            ? new SuggestionCandidate(request.ChallengeId, enterpriseId, await store.IsSuggestedAsync(context.Work, request.ChallengeId, request.VendorId, cancellationToken))
            : null;
    }

    protected override Error? Authorise(UseCaseContext context, RecordMatchDecisionRequest request, SuggestionCandidate? candidate) =>
        SuggestionPolicy.AsDecider(context.Actor, candidate?.EnterpriseId, request.ChallengeId);

    protected override Result<string> Decide(UseCaseContext context, RecordMatchDecisionRequest request, SuggestionCandidate candidate)
    {
        if (request.Kind is null || !MatchSignalKind.GivenOnSuggestions.Contains(request.Kind))
        {
            return Error.Invalid("kind", $"kind must be one of: {string.Join(", ", MatchSignalKind.GivenOnSuggestions)}.");
        }

        return candidate.VendorSuggested ? request.Kind : NotSuggested(request.ChallengeId, request.VendorId);
    }

    protected override async Task<Result<bool>> ApplyAsync(UseCaseContext context, RecordMatchDecisionRequest request, SuggestionCandidate candidate, string kind,
        CancellationToken cancellationToken)
    {
        await store.RecordSignalAsync(context.Work, candidate.ChallengeId, request.VendorId, kind, context.Actor?.UserId, context.Now, cancellationToken);
        return true;
    }
}
