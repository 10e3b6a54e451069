using System.Globalization;
using System.Security.Claims;
using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Challenges;
using Marketplace.Data.Challenges;
using Marketplace.Data.Organisations;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// Who is asking, resolved once per request: the signed-in user's id, roles and organisations. Queries that
/// decide what someone may see take this, so the rule lives in one place.
/// </summary>
public sealed class Viewer(IHttpContextAccessor http, OrganisationStore organisations, ChallengeLifecycleStore lifecycle)
{
    private IReadOnlyList<long>? _organisationIds;
    private Actor? _actor;

    private ClaimsPrincipal? Principal => http.HttpContext?.User;

    public bool IsSignedIn => Principal?.Identity?.IsAuthenticated == true;

    public long? UserId =>
        IsSignedIn && long.TryParse(Principal!.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public bool IsInRole(string role) => Principal?.IsInRole(role) == true;

    /// <summary>Programme officers and administrators oversee every challenge.</summary>
    public bool IsProgrammeStaff => IsInRole(Roles.Officer) || IsInRole(Roles.Admin);

    public async Task<IReadOnlyList<long>> OrganisationIdsAsync(CancellationToken cancellationToken)
    {
        if (_organisationIds is null)
        {
            _organisationIds = UserId is { } id
                ? (await organisations.ForUserAsync(id, cancellationToken)).Select(o => o.Id).ToList()
                : [];
        }

        return _organisationIds;
    }

    /// <summary>Drafts and challenges under screening are visible to their own enterprise and the programme office only.</summary>
    public async Task<bool> MaySeeAsync(ChallengeDetail challenge, CancellationToken cancellationToken) =>
        ChallengePolicy.MaySee(await ActorAsync(cancellationToken), challenge.Status, challenge.EnterpriseId);

    /// <summary>
    /// The full text of a confidential challenge is for its own enterprise and the programme office, and for the
    /// members of a vendor organisation that accepted the challenge's NDA terms in the app.
    /// </summary>
    public async Task<bool> MayReadFullTextAsync(ChallengeDetail challenge, CancellationToken cancellationToken)
    {
        var actor = await ActorAsync(cancellationToken);
        // The NDA is read only when it is the one thing that decides.
        var decidedWithoutNda = ChallengePolicy.MayReadFullText(actor, challenge.IsConfidential, challenge.EnterpriseId, ndaAccepted: false);
        return decidedWithoutNda || (actor is { IsVendor: true }
            && ChallengePolicy.MayReadFullText(actor, challenge.IsConfidential, challenge.EnterpriseId,
                await lifecycle.HasAcceptedNdaAsync(challenge.Id, actor.OrganisationIds, cancellationToken)));
    }

    /// <summary>Whether the viewer is a member (with the Enterprise role) of the enterprise that posted the challenge.</summary>
    public async Task<bool> OwnsAsync(long enterpriseId, CancellationToken cancellationToken) =>
        ChallengePolicy.Owns(await ActorAsync(cancellationToken), enterpriseId);

    /// <summary>The signed-in user as the lifecycle handlers see them; null when signed out.</summary>
    public async Task<Actor?> ActorAsync(CancellationToken cancellationToken)
    {
        if (UserId is not { } id)
        {
            return null;
        }

        if (_actor is null)
        {
            var roles = new[] { Roles.Enterprise, Roles.Vendor, Roles.Reviewer, Roles.Officer, Roles.Admin }.Where(IsInRole).ToList();
            _actor = new Actor(id, await OrganisationIdsAsync(cancellationToken), roles);
        }

        return _actor;
    }
}
