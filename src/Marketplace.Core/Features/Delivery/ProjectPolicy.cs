using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;

namespace Marketplace.Core.Features.Delivery;

/// <summary>The two parties of a delivery project: the enterprise that posted the challenge and the winning vendor.</summary>
public interface IProjectParties
{
    long VendorId { get; }

    long EnterpriseId { get; }
}

/// <summary>What an actor does on a project: the part a use case is for.</summary>
public enum ProjectPart
{
    /// <summary>Anyone who may see the project.</summary>
    Viewer,

    /// <summary>The vendor delivering it (evidence).</summary>
    Vendor,

    /// <summary>The enterprise that posted the challenge (sign-off, portfolio consent).</summary>
    Enterprise,

    /// <summary>Either party (stage adjustment requests).</summary>
    Party,

    /// <summary>The programme office (adjustment decisions, failure filings).</summary>
    Officer,
}

/// <summary>
/// Which projects a list shows an actor, as data the stores turn into SQL: every project for officers; otherwise those
/// whose vendor is one of <see cref="VendorOrganisations"/> or whose enterprise is one of <see cref="EnterpriseOrganisations"/>.
/// </summary>
public sealed record ProjectScope(bool Everything, IReadOnlyList<long> VendorOrganisations, IReadOnlyList<long> EnterpriseOrganisations);

/// <summary>
/// Who may see and act on a delivery project: the one place these rules live. Its two parties (the enterprise's
/// members with the Enterprise role, the vendor's members with the Vendor role) and programme officers see it; anyone
/// else gets NotFound (no hint that it exists); a party acting outside its part gets Forbidden. Use cases authorise
/// with it, pages ask it what to show, and the stores filter lists with <see cref="ScopeOf"/>.
/// </summary>
public static class ProjectPolicy
{
    public static bool IsOfficer(Actor? actor) => actor is not null && actor.Roles.Contains(Roles.Officer);

    public static bool IsVendorParty(Actor? actor, IProjectParties project) => actor is { IsVendor: true } && actor.BelongsTo(project.VendorId);

    public static bool IsEnterpriseParty(Actor? actor, IProjectParties project) => actor is { IsEnterprise: true } && actor.BelongsTo(project.EnterpriseId);

    public static bool MaySee(Actor? actor, IProjectParties? project) =>
        project is not null && actor is not null && (IsOfficer(actor) || IsVendorParty(actor, project) || IsEnterpriseParty(actor, project));

    /// <summary>The projects a list may show the actor (the same rule as <see cref="MaySee"/>, for SQL).</summary>
    public static ProjectScope ScopeOf(Actor? actor) =>
        actor is null ? new ProjectScope(false, [], [])
        : IsOfficer(actor) ? new ProjectScope(true, [], [])
        : new ProjectScope(false, actor.IsVendor ? actor.OrganisationIds : [], actor.IsEnterprise ? actor.OrganisationIds : []);

    /// <summary>
    /// Authorises <paramref name="part"/> on a project: <paramref name="notFound"/> when the actor may not see it (or it
    /// does not exist), Forbidden when they may see it but this is not their part, null when allowed.
    /// </summary>
    public static Error? Authorise(Actor? actor, IProjectParties? project, ProjectPart part, Error notFound)
    {
        if (!MaySee(actor, project))
        {
            return notFound;
        }

        return part switch
        {
            ProjectPart.Viewer => null,
            ProjectPart.Vendor => IsVendorParty(actor, project!) ? null : Error.Forbidden("Only the vendor delivering this project submits evidence."),
            ProjectPart.Enterprise => IsEnterpriseParty(actor, project!) ? null : Error.Forbidden("Only the enterprise that posted the challenge signs off this project."),
            ProjectPart.Party => IsVendorParty(actor, project!) || IsEnterpriseParty(actor, project!) ? null
                : Error.Forbidden("Only the enterprise or the vendor of this project may ask for a stage adjustment; the programme office decides it."),
            _ => IsOfficer(actor) ? null : Error.Forbidden("Only the programme office does this."),
        };
    }

    /// <summary>Whether the actor starts delivery of a challenge: a programme officer or the enterprise that posted it.</summary>
    public static bool MayStartDelivery(Actor? actor, long enterpriseId) => IsOfficer(actor) || ChallengePolicy.Owns(actor, enterpriseId);

    /// <summary>Authorises starting delivery: officers, or the challenge's author (administrators are refused: the programme office signs).</summary>
    public static Error? AsStarter(Actor? actor, ChallengeState? challenge, long challengeId)
    {
        if (challenge is not null && IsOfficer(actor))
        {
            return null;
        }

        return challenge is not null && actor is { IsProgrammeStaff: true }
            ? Error.Forbidden("Only a programme officer or the enterprise that posted the challenge starts delivery.")
            : ChallengePolicy.AsOwner(actor, challenge, challengeId);
    }

    public static Error NotFound(long projectId) => Error.NotFound($"There is no delivery project {projectId}.");
}
