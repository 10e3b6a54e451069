using Marketplace.Core.Common;
using Marketplace.Core.Delivery;
using Marketplace.Data.Delivery;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Delivery;

public sealed record StartDeliveryRequest(string? Note);

public sealed record StartDeliveryResponse(long ChallengeId, IReadOnlyList<long> ProjectIds);

public sealed record EvidenceRequest(string? Body, IReadOnlyList<string>? Links);

public sealed record EvidenceResponse(long MilestoneId, long EvidenceId, string Status);

public sealed record AcceptMilestoneRequest(string? Note, IReadOnlyList<int>? TargetsMet);

public sealed record RejectMilestoneRequest(string? Reason);

public sealed record AdjustmentRequest(string? Reason, IReadOnlyList<MilestoneChange>? Changes);

public sealed record AdjustmentResponse(long AdjustmentId, string Status);

public sealed record AdjustmentDecisionRequest(string? Note);

public sealed record FailureFilingRequest(string? Category, string? Cause, string? Lessons);

public sealed record ProjectStatusResponse(long ProjectId, string Status);

public sealed record PortfolioConsentRequest(bool Grant, bool NameClient);

public sealed record PortfolioConsentResponse(long ProjectId, string Decision, long? PortfolioCaseId);

/// <summary>
/// Delivery in the JSON API. A project exists only for its two parties (the enterprise and the winning vendor) and
/// programme officers: everyone else gets 404; a party acting outside its part gets 403; an illegal move is 409.
/// </summary>
[ApiController]
[Authorize]
[IgnoreAntiforgeryToken(Order = 1001)]
[Route("api/v1")]
[Tags("Delivery")]
public sealed class DeliveryApiController(DeliveryStore store, Viewer viewer, TimeProvider clock) : ControllerBase
{
    /// <summary>Start delivery of an awarded challenge (the contract is signed): one project per winner; Awarded → InDelivery.</summary>
    [HttpPost("challenges/{id:long}/delivery/start")]
    [ProducesResponseType<StartDeliveryResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<StartDeliveryResponse>> Start(long id, StartDeliveryRequest request, [FromServices] StartDeliveryHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, request.Note, cancellationToken);
        return result.IsSuccess ? new StartDeliveryResponse(result.Value!.ChallengeId, result.Value.ProjectIds) : this.ToProblem(result.Error!);
    }

    /// <summary>The delivery projects the caller is a party to (every project for programme officers), optionally of one challenge.</summary>
    [HttpGet("delivery-projects")]
    [ProducesResponseType<IReadOnlyList<ProjectSummary>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<ProjectSummary>>> List(long? challengeId, CancellationToken cancellationToken) =>
        Ok(await store.ListAsync(DeliveryViewer.Of((await viewer.ActorAsync(cancellationToken))!, clock.GetUtcNow()), challengeId, cancellationToken));

    /// <summary>One delivery project: milestones with evidence and decisions, payments released, adjustments, failure filing, consent.</summary>
    [HttpGet("delivery-projects/{id:long}")]
    [ProducesResponseType<ProjectView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ProjectView>> Get(long id, CancellationToken cancellationToken)
    {
        var actor = await viewer.ActorAsync(cancellationToken);
        var project = await store.LoadProjectAsync(id, cancellationToken);
        if (!DeliveryAccess.MaySee(project, actor))
        {
            return this.ToProblem(DeliveryAccess.NotFound(id));
        }

        return (await store.FindAsync(id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken))!;
    }

    /// <summary>The vendor submits evidence (text and links) for a pending or rejected milestone. Every submission is kept.</summary>
    [HttpPost("milestones/{id:long}/evidence")]
    [ProducesResponseType<EvidenceResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<EvidenceResponse>> SubmitEvidence(long id, EvidenceRequest request, [FromServices] SubmitEvidenceHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, request.Body, request.Links, cancellationToken);
        return result.IsSuccess
            ? StatusCode(StatusCodes.Status201Created, new EvidenceResponse(id, result.Value, MilestoneStatus.EvidenceSubmitted))
            : this.ToProblem(result.Error!);
    }

    /// <summary>The enterprise accepts a milestone's latest evidence, noting which acceptance targets (1-based) were met; the payment share is recorded as released.</summary>
    [HttpPost("milestones/{id:long}/accept")]
    [ProducesResponseType<MilestoneDecided>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<MilestoneDecided>> Accept(long id, AcceptMilestoneRequest request, [FromServices] DecideMilestoneHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.AcceptAsync((await viewer.ActorAsync(cancellationToken))!, id, request.Note, request.TargetsMet, cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }

    /// <summary>The enterprise rejects a milestone's latest evidence, with the reason the vendor reads.</summary>
    [HttpPost("milestones/{id:long}/reject")]
    [ProducesResponseType<MilestoneDecided>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<MilestoneDecided>> Reject(long id, RejectMilestoneRequest request, [FromServices] DecideMilestoneHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.RejectAsync((await viewer.ActorAsync(cancellationToken))!, id, request.Reason, cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }

    /// <summary>Either party asks for a stage adjustment: new due dates and/or deliverables for milestones not yet accepted, with a reason.</summary>
    [HttpPost("delivery-projects/{id:long}/adjustments")]
    [ProducesResponseType<AdjustmentResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<AdjustmentResponse>> RequestAdjustment(long id, AdjustmentRequest request, [FromServices] RequestAdjustmentHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, request.Changes ?? [], request.Reason, cancellationToken);
        return result.IsSuccess ? StatusCode(StatusCodes.Status201Created, new AdjustmentResponse(result.Value, AdjustmentStatus.Open)) : this.ToProblem(result.Error!);
    }

    /// <summary>A programme officer approves a stage adjustment: the changes apply, the old values stay in the request.</summary>
    [HttpPost("stage-adjustments/{id:long}/approve")]
    [ProducesResponseType<AdjustmentResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public Task<ActionResult<AdjustmentResponse>> Approve(long id, AdjustmentDecisionRequest request, [FromServices] DecideAdjustmentHandler handler, CancellationToken cancellationToken) =>
        DecideAsync(id, true, request.Note, handler, cancellationToken);

    /// <summary>A programme officer declines a stage adjustment, with a note both parties read.</summary>
    [HttpPost("stage-adjustments/{id:long}/decline")]
    [ProducesResponseType<AdjustmentResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public Task<ActionResult<AdjustmentResponse>> Decline(long id, AdjustmentDecisionRequest request, [FromServices] DecideAdjustmentHandler handler, CancellationToken cancellationToken) =>
        DecideAsync(id, false, request.Note, handler, cancellationToken);

    /// <summary>
    /// A programme officer files an active project as failed (失败备案): category (technical, data, integration,
    /// organisational, commercial, external), cause and lessons learned. Closed without penalty to the vendor.
    /// </summary>
    [HttpPost("delivery-projects/{id:long}/failure-filing")]
    [ProducesResponseType<ProjectStatusResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ProjectStatusResponse>> FileFailure(long id, FailureFilingRequest request, [FromServices] FileFailureHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, request.Category, request.Cause, request.Lessons, cancellationToken);
        return result.IsSuccess ? new ProjectStatusResponse(id, result.Value!) : this.ToProblem(result.Error!);
    }

    /// <summary>The enterprise grants or declines consent to publish a completed project as the vendor's portfolio case (naming itself as client only if nameClient).</summary>
    [HttpPost("delivery-projects/{id:long}/portfolio-consent")]
    [ProducesResponseType<PortfolioConsentResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<PortfolioConsentResponse>> Consent(long id, PortfolioConsentRequest request, [FromServices] PortfolioConsentHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, request.Grant, request.NameClient, cancellationToken);
        return result.IsSuccess
            ? new PortfolioConsentResponse(id, request.Grant ? ConsentDecision.Granted : ConsentDecision.Declined, result.Value)
            : this.ToProblem(result.Error!);
    }

    private async Task<ActionResult<AdjustmentResponse>> DecideAsync(long id, bool approve, string? note, DecideAdjustmentHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, approve, note, cancellationToken);
        return result.IsSuccess ? new AdjustmentResponse(id, result.Value!) : this.ToProblem(result.Error!);
    }
}
