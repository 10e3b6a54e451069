using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Proposals;
using Marketplace.Core.Proposals;
using Marketplace.Data.Challenges;
using Marketplace.Data.Proposals;
using Marketplace.Web.Infrastructure;

namespace Marketplace.Web.Features.Proposals;

/// <summary>
/// The proposal reads behind the pages and the API, for the signed-in viewer: the same sealed store queries and the
/// same <see cref="ProposalPolicy"/> decisions whichever door the request came in by. Reads never write.
/// </summary>
public sealed class ProposalReader(ProposalStore proposals, ChallengeStore challenges, Viewer viewer, TimeProvider clock)
{
    public Task<ProposalViewer> ReaderAsync(CancellationToken cancellationToken) => viewer.ForProposalsAsync(clock, cancellationToken);

    /// <summary>One proposal as the viewer may see it; NotFound while it is sealed from them.</summary>
    public async Task<Result<ProposalView>> FindAsync(long id, CancellationToken cancellationToken) =>
        await proposals.FindAsync(id, await ReaderAsync(cancellationToken), cancellationToken) is { } proposal ? proposal : ProposalPolicy.NotFound(id);

    /// <summary>The technical envelope of one version of the viewer's own proposal (versions are for their author only).</summary>
    public async Task<Result<TechnicalEnvelope>> AuthorVersionAsync(long id, int version, CancellationToken cancellationToken) =>
        await proposals.AuthorVersionAsync(id, version, await ReaderAsync(cancellationToken), cancellationToken) is { } technical
            ? technical
            : ProposalPolicy.NoSuchVersion(id, version);

    /// <summary>The proposals of the viewer's vendor organisations, in every state.</summary>
    public async Task<IReadOnlyList<ProposalListItem>> MineAsync(CancellationToken cancellationToken) =>
        await proposals.ListMineAsync(await ReaderAsync(cancellationToken), cancellationToken);

    /// <summary>The viewer's organisation's live (draft or submitted) proposal to a challenge, if it has one.</summary>
    public async Task<ProposalListItem?> LiveProposalToAsync(long challengeId, CancellationToken cancellationToken) =>
        (await MineAsync(cancellationToken)).FirstOrDefault(p => p.ChallengeId == challengeId && p.Status != ProposalStatus.Withdrawn);

    /// <summary>
    /// A challenge's submitted proposals for its enterprise and programme officers, after the deadline only, with prices
    /// once opened (<see cref="ProposalPolicy.AsListReader"/>).
    /// </summary>
    public async Task<Result<ChallengeProposals>> ForChallengeAsync(long id, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        var reader = await ReaderAsync(cancellationToken);
        if (ProposalPolicy.AsListReader(await viewer.ActorAsync(cancellationToken), challenge, id, reader.Now) is { } refused)
        {
            return refused;
        }

        return new ChallengeProposals
        {
            ChallengeId = challenge!.Id,
            ChallengeTitle = challenge.Title,
            DeadlineAt = challenge.DeadlineAt,
            PriceEnvelopesOpenedAt = await proposals.PriceEnvelopesOpenedAtAsync(challenge.Id, cancellationToken),
            Proposals = await proposals.ListForChallengeAsync(challenge.Id, reader, cancellationToken),
        };
    }

    /// <summary>For the proposal form: the viewer's vendor organisations (the first leads a new proposal).</summary>
    public async Task<IReadOnlyList<VendorOrganisation>> OwnVendorsAsync(CancellationToken cancellationToken) =>
        viewer.UserId is { } userId ? await proposals.VendorOrganisationsOfAsync(userId, cancellationToken) : [];

    /// <summary>The challenge a proposal is for (it always exists: proposals are never moved or deleted).</summary>
    public async Task<ChallengeDetail> ChallengeOfAsync(ProposalView proposal, CancellationToken cancellationToken) =>
        (await challenges.FindAsync(proposal.ChallengeId, cancellationToken))!;
}
