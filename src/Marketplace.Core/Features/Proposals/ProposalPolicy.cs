using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Proposals;

namespace Marketplace.Core.Features.Proposals;

/// <summary>
/// Who may see and change proposals: the one place these rules live. Use cases authorise with it, pages and the API
/// ask it what to offer, and the proposal store builds its sealing filters from <see cref="ReadsEveryChallenge"/>
/// (SQL still enforces sealing on every read, so no caller can forget it). The rules:
/// <list type="bullet">
/// <item>the author organisation sees its own proposals in every state, with their prices and earlier versions;</item>
/// <item>the challenge's enterprise and programme officers see submitted proposals only from the deadline on, and
/// their prices only once technical scoring closed and the price envelopes were opened;</item>
/// <item>everyone else sees nothing, and a proposal they may not see does not exist for them (NotFound).</item>
/// </list>
/// Administrators are not officers here: sealed bids are the programme officers' business.
/// </summary>
public static class ProposalPolicy
{
    public const string Sealed = "Proposals are sealed until the challenge's deadline.";

    /// <summary>The reader of proposals for an actor (null: signed out) at the time the request decides by.</summary>
    public static ProposalViewer Reader(Actor? actor, DateTimeOffset now) =>
        actor is null ? ProposalViewer.Anonymous(now) : new(actor.UserId, actor.OrganisationIds, IsOfficer(actor), now);

    /// <summary>Programme officers read every challenge's unsealed proposals; anyone else only their own enterprise's.</summary>
    public static bool ReadsEveryChallenge(ProposalViewer viewer) => viewer.IsOfficer;

    /// <summary>Earlier versions, receipts and the draft are for the author organisation only.</summary>
    public static bool IsAuthor(ProposalViewer viewer, long vendorId) => viewer.OrganisationIds.Contains(vendorId);

    /// <summary>The challenge's own enterprise (members with the Enterprise role) and programme officers list its proposals.</summary>
    public static bool MayListProposals(Actor? actor, long enterpriseId) => IsOfficer(actor) || ChallengePolicy.Owns(actor, enterpriseId);

    /// <summary>
    /// Authorises listing a challenge's proposals: NotFound when the actor may not see the challenge, Forbidden when
    /// they are neither its enterprise nor an officer, Conflict while the proposals are sealed.
    /// </summary>
    public static Error? AsListReader(Actor? actor, ChallengeDetail? challenge, long challengeId, DateTimeOffset now)
    {
        if (challenge is null || !ChallengePolicy.MaySee(actor, challenge.Status, challenge.EnterpriseId))
        {
            return ChallengePolicy.NotFound(challengeId);
        }

        if (!MayListProposals(actor, challenge.EnterpriseId))
        {
            return Error.Forbidden("Only the enterprise that posted this challenge and programme officers see its proposals.");
        }

        return IsUnsealed(challenge, now) ? null : Error.Conflict(Sealed);
    }

    /// <summary>A challenge's proposals are unsealed from its deadline on, once it was published.</summary>
    public static bool IsUnsealed(ChallengeDetail challenge, DateTimeOffset now) =>
        ProposalRules.IsUnsealed(challenge.DeadlineAt, now) && challenge.Status is not (ChallengeStatus.Draft or ChallengeStatus.Submitted);

    /// <summary>Authorises the author's changes (revise, withdraw): a proposal outside the actor's vendor organisations does not exist for them.</summary>
    public static Error? AsAuthor(ProposalState? state, IReadOnlyList<VendorOrganisation> vendors, long proposalId) =>
        state is not null && vendors.Any(v => v.Id == state.VendorId) ? null : NotFound(proposalId);

    /// <summary>Authorises starting a proposal: the challenge is publicly listed, and the actor belongs to a vendor organisation.</summary>
    public static Error? AsNewAuthor(ChallengeDetail? challenge, IReadOnlyList<VendorOrganisation> vendors, long challengeId)
    {
        if (challenge is null || !ChallengePolicy.IsPubliclyVisible(challenge.Status))
        {
            return ChallengePolicy.NotFound(challengeId);
        }

        return vendors.Count == 0 ? Error.Forbidden("Only members of a vendor organisation can submit proposals.") : null;
    }

    /// <summary>A proposal to a confidential challenge needs its full text, so its NDA (read by the caller) for a vendor.</summary>
    public static Error? MayPropose(Actor actor, ChallengeDetail challenge, bool ndaAccepted) =>
        ChallengePolicy.MayReadFullText(actor, challenge.IsConfidential, challenge.EnterpriseId, ndaAccepted)
            ? null
            : NdaRequired;

    public static Error NdaRequired { get; } = Error.Forbidden("This challenge is confidential: accept its confidentiality terms (NDA) before you submit a proposal.");

    /// <summary>Whether the page offers the author "revise" and "withdraw": their live proposal while the challenge accepts changes.</summary>
    public static bool MayChange(Actor? actor, ProposalView proposal, ChallengeDetail challenge, DateTimeOffset now) =>
        proposal.IsAuthor && actor is { IsVendor: true } && proposal.Status != ProposalStatus.Withdrawn
        && ProposalRules.AcceptsChanges(challenge.Status, challenge.DeadlineAt, now) is null;

    public static Error NotFound(long proposalId) => Error.NotFound($"There is no proposal {proposalId}.");

    public static Error NoSuchVersion(long proposalId, int version) => Error.NotFound($"Proposal {proposalId} has no version {version} of yours.");

    private static bool IsOfficer(Actor? actor) => actor is not null && actor.Roles.Contains(Roles.Officer);
}
