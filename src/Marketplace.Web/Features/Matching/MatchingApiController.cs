using Marketplace.Core.Common;
using Marketplace.Core.Features.Matching;
using Marketplace.Core.Matching;
using Marketplace.Data.Challenges;
using Marketplace.Data.Matching;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Matching;

public sealed record SignalRequest(string? Kind);

/// <summary>The matcher in the JSON API: a challenge's suggested vendors with reasons, decisions, and recommendations.</summary>
[ApiController]
[Route("api/v1")]
public sealed class MatchingApiController(UseCases useCases, Viewer viewer) : ControllerBase
{
    /// <summary>Reviewers suggested for a proposal (programme office, once the proposal is unsealed), conflicted ones left out.</summary>
    [Authorize(Policy = AuthPolicies.ProgrammeStaff)]
    [HttpGet("proposals/{id:long}/reviewer-suggestions")]
    [ProducesResponseType<IReadOnlyList<ReviewerSuggestion>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<IReadOnlyList<ReviewerSuggestion>>> ReviewerSuggestions(long id, [FromServices] ReviewerSuggestionReader reviewers,
        CancellationToken cancellationToken) =>
        await reviewers.ForProposalAsync(id, cancellationToken) is { } suggestions
            ? Ok(suggestions)
            : this.ToProblem(Error.NotFound($"There is no proposal {id} that you may read."));

    /// <summary>The stored top vendors for a challenge, with the reasons (terms and their shares, shared tags, closest case).
    /// Only the challenge's own enterprise and the programme office may read them.</summary>
    [Authorize]
    [HttpGet("challenges/{id:long}/suggestions")]
    [ProducesResponseType<IReadOnlyList<VendorSuggestion>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<IReadOnlyList<VendorSuggestion>>> Suggestions(long id, [FromServices] ChallengeStore challenges, [FromServices] MatchStore store,
        CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null || !SuggestionPolicy.MaySee(await viewer.ActorAsync(cancellationToken), challenge.EnterpriseId))
        {
            return this.ToProblem(SuggestionPolicy.Hidden(id));
        }

        return Ok(await store.SuggestionsForChallengeAsync(id, cancellationToken));
    }

    /// <summary>Records a decision about a suggested vendor: invited, shortlisted or dismissed.</summary>
    [Authorize]
    [HttpPost("challenges/{id:long}/suggestions/{vendorId:long}/signals")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Signal(long id, long vendorId, SignalRequest request, [FromServices] RecordMatchDecision decide, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(decide, new RecordMatchDecisionRequest(id, vendorId, request.Kind), cancellationToken);
        return result.IsSuccess ? NoContent() : this.ToProblem(result.Error!);
    }

    /// <summary>Open challenges recommended to the caller's vendor organisation, best first.</summary>
    [Authorize(Policy = AuthPolicies.Vendor)]
    [HttpGet("my/recommendations")]
    [ProducesResponseType<IReadOnlyList<ChallengeRecommendation>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<ChallengeRecommendation>>> Recommendations([FromServices] RecommendationQuery recommendations,
        CancellationToken cancellationToken) =>
        Ok((await recommendations.ForUserAsync(viewer.UserId, cancellationToken)).Items);
}
