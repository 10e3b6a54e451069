namespace Marketplace.Data.Proposals;

/// <summary>
/// The answer to opening a challenge's price envelopes, which is closing its technical scoring (Reviews'
/// CloseTechnicalScoringHandler). Kept here, in its old namespace, until that step moves to Core with the review use cases.
/// </summary>
public sealed record PriceEnvelopesOpened(long ChallengeId, DateTimeOffset OpenedAt, int ProposalCount);

/// <summary>
/// The old name of <see cref="Core.Features.Proposals.ProposalPolicy.NotFound"/>, kept only for the review pages
/// (Reviews area) until they move to the policy; delete it then.
/// </summary>
public static class ProposalAccess
{
    public static Core.Common.Error NotFound(long id) => Core.Features.Proposals.ProposalPolicy.NotFound(id);
}
