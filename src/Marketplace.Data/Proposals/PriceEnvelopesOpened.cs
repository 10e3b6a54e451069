namespace Marketplace.Data.Proposals;

/// <summary>
/// The API's answer to opening a challenge's price envelopes, which is closing its technical scoring
/// (<see cref="Core.Features.Reviews.CloseTechnicalScoring"/>).
/// </summary>
public sealed record PriceEnvelopesOpened(long ChallengeId, DateTimeOffset OpenedAt, int ProposalCount);

