using Marketplace.Core.Common;
using Marketplace.Core.Matching;
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
public sealed class MatchingApiController(SuggestionAccess access, MatchStore store, Matchmaker matchmaker, RecommendationReader recommendations, ReviewerSuggestionReader reviewers, Viewer viewer) : ControllerBase
{
    /// <summary>Reviewers suggested for a proposal (programme office, once the proposal is unsealed), conflicted ones left out.</summary>
    [Authorize(Policy = AuthPolicies.ProgrammeStaff)]
    [HttpGet("proposals/{id:long}/reviewer-suggestions")]
    [ProducesResponseType<IReadOnlyList<ReviewerSuggestion>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<IReadOnlyList<ReviewerSuggestion>>> ReviewerSuggestions(long id, CancellationToken cancellationToken) =>
        await reviewers.ForProposalAsync(id, cancellationToken) is { } suggestions
            ? Ok(suggestions)
            : this.ToProblem(Error.NotFound($"There is no proposal {id} that you may read."));

    /// <summary>The stored top vendors for a challenge, with the reasons (terms and their shares, shared tags, closest case).
    /// Only the challenge's own enterprise and the programme office may read them.</summary>
    [Authorize]
    [HttpGet("challenges/{id:long}/suggestions")]
    [ProducesResponseType<IReadOnlyList<VendorSuggestion>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<IReadOnlyList<VendorSuggestion>>> Suggestions(long id, CancellationToken cancellationToken)
    {
        if (await access.ChallengeIfAllowedAsync(id, cancellationToken) is null)
        {
            return this.ToProblem(Error.NotFound($"There is no challenge {id} whose suggestions you may see."));
        }

        await matchmaker.EnsureReadyAsync(cancellationToken);
        return Ok(await store.SuggestionsForChallengeAsync(id, cancellationToken));
    }

    /// <summary>Records a decision about a suggested vendor: invited, shortlisted or dismissed.</summary>
    [Authorize]
    [HttpPost("challenges/{id:long}/suggestions/{vendorId:long}/signals")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Signal(long id, long vendorId, SignalRequest request, CancellationToken cancellationToken)
    {
        if (await access.ChallengeIfAllowedAsync(id, cancellationToken) is null)
        {
            return this.ToProblem(Error.NotFound($"There is no challenge {id} whose suggestions you may see."));
        }

        if (request.Kind is null || !MatchSignalKind.GivenOnSuggestions.Contains(request.Kind))
        {
            return this.ToProblem(Error.Invalid("kind", $"kind must be one of: {string.Join(", ", MatchSignalKind.GivenOnSuggestions)}."));
        }

        var suggestions = await store.SuggestionsForChallengeAsync(id, cancellationToken);
        if (suggestions.All(s => s.VendorId != vendorId))
        {
            return this.ToProblem(Error.NotFound($"Vendor {vendorId} is not among the suggestions for challenge {id}."));
        }

        await store.RecordSignalAsync(id, vendorId, request.Kind, viewer.UserId, cancellationToken);
        return NoContent();
    }

    /// <summary>Open challenges recommended to the caller's vendor organisation, best first.</summary>
    [Authorize(Policy = AuthPolicies.Vendor)]
    [HttpGet("my/recommendations")]
    [ProducesResponseType<IReadOnlyList<ChallengeRecommendation>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<ChallengeRecommendation>>> Recommendations(CancellationToken cancellationToken) =>
        Ok((await recommendations.ForViewerAsync(cancellationToken)).Items);
}
