using System.Globalization;
using System.Security.Claims;
using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
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
        ChallengeStatus.PubliclyListed.Contains(challenge.Status)
        || IsProgrammeStaff
        || (await OrganisationIdsAsync(cancellationToken)).Contains(challenge.EnterpriseId);

    /// <summary>
    /// The full text of a confidential challenge is for its own enterprise and the programme office, and for the
    /// members of a vendor organisation that accepted the challenge's NDA terms in the app.
    /// </summary>
    public async Task<bool> MayReadFullTextAsync(ChallengeDetail challenge, CancellationToken cancellationToken) =>
        !challenge.IsConfidential
        || IsProgrammeStaff
        || (await OrganisationIdsAsync(cancellationToken)).Contains(challenge.EnterpriseId)
        || (IsInRole(Roles.Vendor) && await lifecycle.HasAcceptedNdaAsync(challenge.Id, await OrganisationIdsAsync(cancellationToken), cancellationToken));

    /// <summary>Whether the viewer is a member (with the Enterprise role) of the enterprise that posted the challenge.</summary>
    public async Task<bool> OwnsAsync(long enterpriseId, CancellationToken cancellationToken) =>
        IsInRole(Roles.Enterprise) && (await OrganisationIdsAsync(cancellationToken)).Contains(enterpriseId);

    /// <summary>The signed-in user as the lifecycle handlers see them; null when signed out.</summary>
    public async Task<Actor?> ActorAsync(CancellationToken cancellationToken)
    {
        if (UserId is not { } id)
        {
            return null;
        }

        var roles = new[] { Roles.Enterprise, Roles.Vendor, Roles.Reviewer, Roles.Officer, Roles.Admin }.Where(IsInRole).ToList();
        return new Actor(id, await OrganisationIdsAsync(cancellationToken), roles);
    }
}
