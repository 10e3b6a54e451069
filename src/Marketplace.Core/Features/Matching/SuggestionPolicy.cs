using Marketplace.Core.Challenges;
using Marketplace.Core.Common;

namespace Marketplace.Core.Features.Matching;

/// <summary>
/// Who may see and act on a challenge's suggested vendors: the members of the enterprise that posted it and the
/// programme office. The one place this rule lives: the suggestions panel, the API and the decision use case ask it.
/// Everyone else is told the suggestions do not exist.
/// </summary>
public static class SuggestionPolicy
{
    public static bool MaySee(Actor? actor, long enterpriseId) =>
        actor is not null && (actor.IsProgrammeStaff || actor.BelongsTo(enterpriseId));

    /// <summary>Null allows; a challenge the actor may not see (or that does not exist) is NotFound.</summary>
    public static Error? AsDecider(Actor? actor, long? enterpriseId, long challengeId) =>
        enterpriseId is { } owner && MaySee(actor, owner) ? null : Hidden(challengeId);

    public static Error Hidden(long challengeId) => Error.NotFound($"There is no challenge {challengeId} whose suggestions you may see.");
}
