using Marketplace.Core.Features.Reviews;
using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Proposals;
using Marketplace.Core.Proposals;
using Marketplace.Data.Proposals;
using Marketplace.Data.Reviews;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Proposals;

/// <summary>
/// Sealed proposals in the JSON API. Before the deadline a proposal exists only for its author organisation (404 to
/// everyone else); after it the challenge's enterprise and programme officers read technical envelopes, and prices
/// once an officer opened them. Submitting, revising or withdrawing after the deadline is 409. The rules are
/// <see cref="ProposalPolicy"/>'s; every change runs as a use case, answering with the proposal's new state.
/// </summary>
[ApiController]
[Authorize]
[IgnoreAntiforgeryToken(Order = 1001)]
[Route("api/v1")]
[Tags("Proposals")]
public sealed class ProposalsApiController(UseCases useCases, ProposalReader reader) : ControllerBase
{
    /// <summary>
    /// Registered vendor organisations whose name, English name or identifier contains the text (at most 10, by name):
    /// the consortium partner picker on the proposal form. Public, like the vendor directory.
    /// </summary>
    [HttpGet("vendors/names")]
    [AllowAnonymous]
    [ProducesResponseType<IReadOnlyList<VendorName>>(StatusCodes.Status200OK)]
    public async Task<IReadOnlyList<VendorName>> VendorNames([FromQuery] string? q, [FromServices] ProposalStore proposals, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(q) || q.Trim().Length > 100
            ? []
            : (await proposals.SearchVendorsAsync(q, 10, cancellationToken)).Select(v => new VendorName(v.Name, v.NameEn, v.Slug)).ToList();

    /// <summary>Submit a proposal to a published challenge before its deadline (or save it as a draft with draft: true).</summary>
    [Idempotent]
    [HttpPost("challenges/{id:long}/proposals")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<ProposalSaved>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult> Submit(long id, ProposalRequest request, [FromServices] SubmitProposal submit, CancellationToken cancellationToken) =>
        this.ToCreated(await useCases.RunAsync(submit, new SubmitProposalRequest(id, request.Draft, request.ToInput()), cancellationToken),
            saved => $"/api/v1/proposals/{saved.ProposalId}");

    /// <summary>Revise a proposal before the deadline: a submitted one gets a new version (all versions are kept); a draft is saved again or submitted.</summary>
    [HttpPut("proposals/{id:long}")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<ProposalSaved>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ProposalSaved>> Revise(long id, ProposalRequest request, [FromServices] ReviseProposal revise, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(revise, new ReviseProposalRequest(id, request.Draft, request.ToInput()), cancellationToken));

    /// <summary>Withdraw a proposal before the deadline. Its versions are kept; the organisation may start a new one.</summary>
    [HttpPost("proposals/{id:long}/withdraw")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<ProposalSaved>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ProposalSaved>> Withdraw(long id, [FromServices] WithdrawProposal withdraw, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(withdraw, new WithdrawProposalRequest(id), cancellationToken));

    /// <summary>One proposal, as the caller may see it: 404 while it is sealed from them.</summary>
    [HttpGet("proposals/{id:long}")]
    [ProducesResponseType<ProposalView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ProposalView>> Get(long id, CancellationToken cancellationToken) =>
        this.ToResponse(await reader.FindAsync(id, cancellationToken));

    /// <summary>The technical envelope of one earlier version of the caller's own proposal (versions are for their author only).</summary>
    [HttpGet("proposals/{id:long}/versions/{version:int}")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<TechnicalEnvelope>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<TechnicalEnvelope>> Version(long id, int version, CancellationToken cancellationToken) =>
        this.ToResponse(await reader.AuthorVersionAsync(id, version, cancellationToken));

    /// <summary>The proposals of the caller's vendor organisations, in every state, with the latest receipt.</summary>
    [HttpGet("my/proposals")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<IReadOnlyList<ProposalListItem>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<ProposalListItem>>> Mine(CancellationToken cancellationToken) =>
        Ok(await reader.MineAsync(cancellationToken));

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
    public async Task<ActionResult<ChallengeProposals>> ForChallenge(long id, CancellationToken cancellationToken) =>
        this.ToResponse(await reader.ForChallengeAsync(id, cancellationToken));

    /// <summary>
    /// Open the price envelopes of a challenge whose deadline has passed (programme officers, once technical scoring is
    /// closed). Opening them is closing technical scoring, so this runs the review step that does it.
    /// </summary>
    [HttpPost("challenges/{id:long}/price-envelopes/open")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<PriceEnvelopesOpened>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<PriceEnvelopesOpened>> OpenPriceEnvelopes(long id, [FromServices] CloseTechnicalScoring closeScoring, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(closeScoring, new ReviewOf(id), cancellationToken);
        return result.IsSuccess ? new PriceEnvelopesOpened(result.Value!.ChallengeId, result.Value.OpenedAt, result.Value.ProposalCount) : this.ToProblem(result.Error!);
    }
}

/// <summary>A vendor organisation as the partner picker lists it: the name to type, its English name and its identifier.</summary>
public sealed record VendorName(string Name, string? NameEn, string Slug);
