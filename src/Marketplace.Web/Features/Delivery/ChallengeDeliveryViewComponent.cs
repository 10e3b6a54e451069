using Marketplace.Core.Challenges;
using Marketplace.Core.Delivery;
using Marketplace.Core.Features.Delivery;
using Marketplace.Data.Delivery;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Delivery;

public sealed record ChallengeDeliveryModel(long ChallengeId, bool MayStart, IReadOnlyList<ProjectSummary> Projects);

/// <summary>
/// The delivery panel on a challenge's page: "Start delivery" for the owner or an officer once it is awarded, and
/// links to the projects the viewer is a party to. Rendered from Challenges/Details.cshtml.
/// </summary>
public sealed class ChallengeDeliveryViewComponent(DeliveryStore store, Viewer viewer, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(ChallengeDetail challenge)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var actor = await viewer.ActorAsync(cancellationToken);
        if (actor is null || challenge.Status is not (ChallengeStatus.Awarded or ChallengeStatus.InDelivery or ChallengeStatus.Completed or ChallengeStatus.Failed))
        {
            return Content("");
        }

        var mayStart = challenge.Status == ChallengeStatus.Awarded && ProjectPolicy.MayStartDelivery(actor, challenge.EnterpriseId);
        var projects = await store.ListAsync(ProjectPolicy.ScopeOf(actor), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), challenge.Id, cancellationToken);
        return !mayStart && projects.Count == 0
            ? Content("")
            : View("/Features/Delivery/_ChallengeDelivery.cshtml", new ChallengeDeliveryModel(challenge.Id, mayStart, projects));
    }
}
