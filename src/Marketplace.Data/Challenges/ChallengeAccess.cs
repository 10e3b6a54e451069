using Marketplace.Core.Challenges;
using Marketplace.Core.Common;

namespace Marketplace.Data.Challenges;

/// <summary>
/// Who may act on a challenge, decided in one place for every handler: a challenge the actor may not even see is
/// NotFound (no hint that it exists); one they may see but that is not theirs to change is Forbidden.
/// </summary>
public static class ChallengeAccess
{
    public static bool IsPubliclyVisible(string status) => ChallengeStatus.PubliclyListed.Contains(status);

    /// <summary>The owning enterprise's members (with the Enterprise role) act as the challenge's author.</summary>
    public static Error? AsOwner(ChallengeState? challenge, Actor actor, long id)
    {
        if (challenge is null)
        {
            return NotFound(id);
        }

        if (actor.BelongsTo(challenge.EnterpriseId) && actor.IsEnterprise)
        {
            return null;
        }

        return IsPubliclyVisible(challenge.Status) || actor.IsProgrammeStaff || actor.BelongsTo(challenge.EnterpriseId)
            ? Error.Forbidden("Only members of the enterprise that posted this challenge may change it.")
            : NotFound(id);
    }

    /// <summary>Programme officers and administrators screen challenges.</summary>
    public static Error? AsStaff(ChallengeState? challenge, Actor actor, long id)
    {
        if (challenge is null)
        {
            return NotFound(id);
        }

        if (actor.IsProgrammeStaff)
        {
            return null;
        }

        return IsPubliclyVisible(challenge.Status) || actor.BelongsTo(challenge.EnterpriseId)
            ? Error.Forbidden("Only the programme office screens challenges.")
            : NotFound(id);
    }

    public static Error NotFound(long id) => Error.NotFound($"There is no challenge {id}.");
}
