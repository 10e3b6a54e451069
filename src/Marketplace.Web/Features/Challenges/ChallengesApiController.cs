using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Data.Challenges;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Challenges;

/// <summary>GET /api/v1/challenges: the public challenge list as JSON, with the same filters as the page.</summary>
[ApiController]
[AllowAnonymous]
[Route("api/v1/challenges")]
public sealed class ChallengesApiController(ChallengeStore challenges, Viewer viewer) : ControllerBase
{
    /// <summary>One page of publicly listed challenges. <c>pageSize</c> is 1–100 (default 20).</summary>
    [HttpGet]
    [ProducesResponseType<Paged<ChallengeSummary>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    public async Task<ActionResult<Paged<ChallengeSummary>>> List([FromQuery] ChallengeListQuery query, CancellationToken cancellationToken)
    {
        var errors = query.Validate();
        if (!errors.IsEmpty)
        {
            return this.ToProblem(errors.ToError());
        }

        return await challenges.SearchPublicAsync(query.ToSearch(), query.ParsedSort(), query.ToPage(), cancellationToken);
    }

    /// <summary>One challenge. A confidential challenge's body is withheld from viewers who may not read it.</summary>
    [HttpGet("{id:long}")]
    [ProducesResponseType<ChallengeDetail>(StatusCodes.Status200OK)]
    public async Task<ActionResult<ChallengeDetail>> Get(long id, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null || !await viewer.MaySeeAsync(challenge, cancellationToken))
        {
            return this.ToProblem(Error.NotFound($"There is no challenge {id}."));
        }

        return await viewer.MayReadFullTextAsync(challenge, cancellationToken) ? challenge : challenge.Redacted();
    }
}
