using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Features.Reviews;
using Marketplace.Core.Reviews;
using Marketplace.Data.Reviews;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Reviews;

/// <summary>On the author's proposal page after the decision: outcome, feedback and their own scores. Nothing for anyone else.</summary>
public sealed class ProposalOutcomeViewComponent(ReviewReader reader) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long proposalId)
    {
        var outcome = await reader.OutcomeAsync(proposalId, HttpContext.RequestAborted);
        return outcome.IsSuccess ? View("~/Features/Reviews/_Outcome.cshtml", outcome.Value!) : Content("");
    }
}

/// <summary>What the challenge page shows of review and award: the state for officers and the enterprise, the winners for everyone.</summary>
public sealed record ChallengeAwardPanel(ChallengeAward Award, bool IsOfficer, bool IsOwner, int OpenAssignments, bool ScoringClosed);

/// <summary>Takes the challenge the page read, so the page reads it once.</summary>
public sealed class ChallengeAwardViewComponent(ReviewReader reader, ReviewStore store, Viewer viewer) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(ChallengeDetail challenge)
    {
        var ct = HttpContext.RequestAborted;
        var challengeId = challenge.Id;
        var award = await reader.AwardAsync(challenge, ct);
        if (!award.IsSuccess)
        {
            return Content("");
        }

        var actor = await viewer.ActorAsync(ct);
        var isOfficer = ReviewPolicy.RunsReview(actor);
        var isOwner = ChallengePolicy.Owns(actor, challenge.EnterpriseId);
        var inReview = challenge.Status is ChallengeStatus.Closed or ChallengeStatus.UnderReview;
        if (award.Value!.Outcome is null && !(inReview && (isOfficer || isOwner)))
        {
            return Content("");
        }

        var assignments = isOfficer || isOwner ? await store.ForChallengeAsync(challengeId, ct) : [];
        return View("~/Features/Reviews/_Award.cshtml", new ChallengeAwardPanel(award.Value, isOfficer, isOwner,
            assignments.Count(a => AssignmentStatus.IsLive(a.Status)), assignments.Any(a => a.ScoringClosed)));
    }
}
