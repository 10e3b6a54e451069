using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Proposals;
using Marketplace.Data.Challenges;
using Marketplace.Data.Proposals;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Proposals;

/// <summary>
/// Sealed proposals in the JSON API. Before the deadline a proposal exists only for its author organisation (404 to
/// everyone else); after it the challenge's enterprise and programme officers read technical envelopes, and prices
/// once an officer opened them. Submitting, revising or withdrawing after the deadline is 409.
/// </summary>
[ApiController]
[Authorize]
[IgnoreAntiforgeryToken(Order = 1001)]
[Route("api/v1")]
[Tags("Proposals")]
public sealed class ProposalsApiController(ProposalStore proposals, ChallengeStore challenges, Viewer viewer, TimeProvider clock) : ControllerBase
{
    /// <summary>Submit a proposal to a published challenge before its deadline (or save it as a draft with draft: true).</summary>
    [HttpPost("challenges/{id:long}/proposals")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<ProposalSavedResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ProposalSavedResponse>> Submit(long id, ProposalRequest request, [FromServices] SubmitProposalHandler handler, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        var result = await handler.HandleAsync(new SubmitProposal
        {
            ChallengeId = id,
            UserId = viewer.UserId!.Value,
            MayReadFullText = challenge is not null && await viewer.MayReadFullTextAsync(challenge, cancellationToken),
            AsDraft = request.Draft,
            Input = request.ToInput(),
        }, cancellationToken);
        if (!result.IsSuccess)
        {
            return this.ToProblem(result.Error!);
        }

        var saved = result.Value!;
        return Created($"/api/v1/proposals/{saved.ProposalId}", new ProposalSavedResponse(saved.ProposalId, saved.ChallengeId, saved.Status, saved.Receipt));
    }

    /// <summary>Revise a proposal before the deadline: a submitted one gets a new version (all versions are kept); a draft is saved again or submitted.</summary>
    [HttpPut("proposals/{id:long}")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<ProposalSavedResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ProposalSavedResponse>> Revise(long id, ProposalRequest request, [FromServices] ReviseProposalHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new ReviseProposal { ProposalId = id, UserId = viewer.UserId!.Value, AsDraft = request.Draft, Input = request.ToInput() }, cancellationToken);
        return result.IsSuccess ? Saved(result.Value!) : this.ToProblem(result.Error!);
    }

    /// <summary>Withdraw a proposal before the deadline. Its versions are kept; the organisation may start a new one.</summary>
    [HttpPost("proposals/{id:long}/withdraw")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<ProposalSavedResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ProposalSavedResponse>> Withdraw(long id, [FromServices] WithdrawProposalHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new WithdrawProposal(id, viewer.UserId!.Value), cancellationToken);
        return result.IsSuccess ? Saved(result.Value!) : this.ToProblem(result.Error!);
    }

    /// <summary>One proposal, as the caller may see it: 404 while it is sealed from them.</summary>
    [HttpGet("proposals/{id:long}")]
    [ProducesResponseType<ProposalView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ProposalView>> Get(long id, CancellationToken cancellationToken)
    {
        var proposal = await proposals.FindAsync(id, await viewer.ForProposalsAsync(clock, cancellationToken), cancellationToken);
        return proposal is null ? this.ToProblem(ProposalAccess.NotFound(id)) : proposal;
    }

    /// <summary>The technical envelope of one earlier version of the caller's own proposal (versions are for their author only).</summary>
    [HttpGet("proposals/{id:long}/versions/{version:int}")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<TechnicalEnvelope>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<TechnicalEnvelope>> Version(long id, int version, CancellationToken cancellationToken)
    {
        var technical = await proposals.AuthorVersionAsync(id, version, await viewer.ForProposalsAsync(clock, cancellationToken), cancellationToken);
        return technical is null ? this.ToProblem(Error.NotFound($"Proposal {id} has no version {version} of yours.")) : technical;
    }

    /// <summary>The proposals of the caller's vendor organisations, in every state, with the latest receipt.</summary>
    [HttpGet("my/proposals")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<IReadOnlyList<ProposalListItem>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<ProposalListItem>>> Mine(CancellationToken cancellationToken) =>
        Ok(await proposals.ListMineAsync(await viewer.ForProposalsAsync(clock, cancellationToken), cancellationToken));

    /// <summary>
    /// A challenge's submitted proposals for its enterprise and programme officers, after the deadline only (409
    /// before it). Prices are included once an officer opened the price envelopes.
    /// </summary>
    [HttpGet("challenges/{id:long}/proposals")]
    [Authorize(Roles = Roles.Enterprise + "," + Roles.Officer)]
    [ProducesResponseType<ChallengeProposals>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ChallengeProposals>> ForChallenge(long id, CancellationToken cancellationToken)
    {
        var result = await ChallengeProposalsQuery.RunAsync(id, viewer, proposals, challenges, clock, cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }

    /// <summary>Open the price envelopes of a challenge whose deadline has passed (programme officers, once technical scoring is closed).</summary>
    [HttpPost("challenges/{id:long}/price-envelopes/open")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<PriceEnvelopesOpenedResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<PriceEnvelopesOpenedResponse>> OpenPriceEnvelopes(long id, [FromServices] OpenPriceEnvelopesHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new OpenPriceEnvelopes(id, viewer.UserId!.Value, viewer.IsInRole(Roles.Officer)), cancellationToken);
        return result.IsSuccess
            ? new PriceEnvelopesOpenedResponse(result.Value!.ChallengeId, result.Value.OpenedAt, result.Value.ProposalCount)
            : this.ToProblem(result.Error!);
    }

    private static ProposalSavedResponse Saved(ProposalSaved saved) => new(saved.ProposalId, saved.ChallengeId, saved.Status, saved.Receipt);
}

/// <summary>Who may list a challenge's proposals, and when: shared by the page and the API.</summary>
public static class ChallengeProposalsQuery
{
    public const string Sealed = "Proposals are sealed until the challenge's deadline.";

    public static async Task<Result<ChallengeProposals>> RunAsync(long id, Viewer viewer, ProposalStore proposals, ChallengeStore challenges, TimeProvider clock, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null || !await viewer.MaySeeAsync(challenge, cancellationToken))
        {
            return Error.NotFound($"There is no challenge {id}.");
        }

        var reader = await viewer.ForProposalsAsync(clock, cancellationToken);
        if (!reader.IsOfficer && !(viewer.IsInRole(Roles.Enterprise) && reader.OrganisationIds.Contains(challenge.EnterpriseId)))
        {
            return Error.Forbidden("Only the enterprise that posted this challenge and programme officers see its proposals.");
        }

        if (!ProposalRules.IsUnsealed(challenge.DeadlineAt, reader.Now) || challenge.Status is ChallengeStatus.Draft or ChallengeStatus.Submitted)
        {
            return Error.Conflict(Sealed);
        }

        return new ChallengeProposals
        {
            ChallengeId = challenge.Id,
            ChallengeTitle = challenge.Title,
            DeadlineAt = challenge.DeadlineAt,
            PriceEnvelopesOpenedAt = await proposals.PriceEnvelopesOpenedAtAsync(challenge.Id, cancellationToken),
            Proposals = await proposals.ListForChallengeAsync(challenge.Id, reader, cancellationToken),
        };
    }
}
