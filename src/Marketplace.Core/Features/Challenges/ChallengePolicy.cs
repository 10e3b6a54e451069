using Marketplace.Core.Challenges;
using Marketplace.Core.Common;

namespace Marketplace.Core.Features.Challenges;

/// <summary>What a use case needs to decide a move on a challenge, read inside its transaction.</summary>
public record ChallengeState
{
    public long Id { get; init; }
    public long EnterpriseId { get; init; }
    public string Title { get; init; } = "";
    public string Status { get; init; } = "";
    public string Visibility { get; init; } = "public";
    public DateTimeOffset DeadlineAt { get; init; }
    public int RowVersion { get; init; }

    public bool IsConfidential => Visibility == "confidential";
}

/// <summary>
/// Who may see and act on a challenge: the one place these rules live. Use cases authorise with it, pages and the API
/// ask it what to show, and the stores' SQL filters are built from <see cref="PubliclyVisibleStatuses"/>.
/// A challenge the actor may not see is NotFound (no hint that it exists); one they may see but not change is Forbidden.
/// </summary>
public static class ChallengePolicy
{
    /// <summary>States anybody may see, signed in or not (the public list shows them).</summary>
    public static IReadOnlyList<string> PubliclyVisibleStatuses => ChallengeStatus.PubliclyListed;

    public static bool IsPubliclyVisible(string status) => ChallengeStatus.PubliclyListed.Contains(status);

    /// <summary>Drafts and challenges under screening are visible to their own enterprise and the programme office only.</summary>
    public static bool MaySee(Actor? actor, string status, long enterpriseId) =>
        IsPubliclyVisible(status) || (actor is not null && (actor.IsProgrammeStaff || actor.BelongsTo(enterpriseId)));

    /// <summary>The enterprise's members with the Enterprise role act as the challenge's author.</summary>
    public static bool Owns(Actor? actor, long enterpriseId) => actor is not null && actor.IsEnterprise && actor.BelongsTo(enterpriseId);

    /// <summary>
    /// The full text of a confidential challenge is for its enterprise, the programme office, and vendors whose
    /// organisation accepted its NDA terms in the app (<paramref name="ndaAccepted"/>, read by the caller).
    /// </summary>
    public static bool MayReadFullText(Actor? actor, bool isConfidential, long enterpriseId, bool ndaAccepted) =>
        !isConfidential
        || (actor is not null && (actor.IsProgrammeStaff || actor.BelongsTo(enterpriseId) || (actor.IsVendor && ndaAccepted)));

    /// <summary>Authorises the author's moves: the owning enterprise's members with the Enterprise role.</summary>
    public static Error? AsOwner(Actor? actor, ChallengeState? challenge, long id)
    {
        if (challenge is null || !MaySee(actor, challenge.Status, challenge.EnterpriseId))
        {
            return NotFound(id);
        }

        return Owns(actor, challenge.EnterpriseId) ? null : Error.Forbidden("Only members of the enterprise that posted this challenge may change it.");
    }

    /// <summary>Authorises screening: programme officers and administrators.</summary>
    public static Error? AsStaff(Actor? actor, ChallengeState? challenge, long id)
    {
        if (challenge is null || !MaySee(actor, challenge.Status, challenge.EnterpriseId))
        {
            return NotFound(id);
        }

        return actor!.IsProgrammeStaff ? null : Error.Forbidden("Only the programme office screens challenges.");
    }

    /// <summary>Authorises a viewer: anyone who may see the challenge.</summary>
    public static Error? AsViewer(Actor? actor, ChallengeState? challenge, long id) =>
        challenge is not null && MaySee(actor, challenge.Status, challenge.EnterpriseId) ? null : NotFound(id);

    public static Error NotFound(long id) => Error.NotFound($"There is no challenge {id}.");
}
