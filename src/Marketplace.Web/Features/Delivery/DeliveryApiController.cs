using System.Text.Json.Serialization;
using Marketplace.Core.Delivery;
using Marketplace.Core.Features.Delivery;
using Marketplace.Data.Delivery;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Delivery;

public sealed record StartDeliveryBody(string? Note);

public sealed record EvidenceBody(string? Body, IReadOnlyList<string>? Links);

public sealed record AcceptMilestoneBody(string? Note, IReadOnlyList<int>? TargetsMet);

public sealed record RejectMilestoneBody(string? Reason);

public sealed record StageAdjustmentBody(string? Reason, IReadOnlyList<MilestoneChange>? Changes);

public sealed record AdjustmentDecisionBody(string? Note);

public sealed record FailureFilingBody(string? Category, string? Cause, string? Lessons);

/// <summary>The enterprise's answer about publishing a completed project. <c>grant</c> must be given: the answer is recorded
/// once, so a body without it is a 400, not a silent "declined".</summary>
public sealed record PortfolioConsentBody([property: JsonRequired] bool Grant, bool NameClient);

/// <summary>
/// Delivery projects in the JSON API, as their readers see them. A project exists only for its two parties (the
/// enterprise and the winning vendor) and programme officers: everyone else gets 404, and lists hold only the caller's projects.
/// </summary>
[ApiController]
[Authorize]
[Route("api/v1")]
[Tags("Delivery")]
public sealed class DeliveryApiController(DeliveryStore store, Viewer viewer, TimeProvider clock) : ControllerBase
{
    /// <summary>The delivery projects the caller is a party to (every project for programme officers), optionally of one challenge.</summary>
    [HttpGet("delivery-projects")]
    [ProducesResponseType<IReadOnlyList<ProjectSummary>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<ProjectSummary>>> List(long? challengeId, CancellationToken cancellationToken) =>
        Ok(await store.ListAsync(ProjectPolicy.ScopeOf(await viewer.ActorAsync(cancellationToken)), Today, challengeId, cancellationToken));

    /// <summary>One delivery project: milestones with evidence and decisions, payments released, adjustments, failure filing, consent.</summary>
    [HttpGet("delivery-projects/{id:long}")]
    [ProducesResponseType<ProjectView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ProjectView>> Get(long id, CancellationToken cancellationToken) =>
        await store.FindAsync(ProjectPolicy.ScopeOf(await viewer.ActorAsync(cancellationToken)), id, Today, cancellationToken) is { } project
            ? project
            : this.ToProblem(ProjectPolicy.NotFound(id));

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

/// <summary>
/// Delivery's changes in the JSON API, each one use case. Everyone but the project's parties and officers gets 404; a
/// party acting outside its part gets 403; bad input is 400; an illegal move (or a change someone made at the same
/// moment) is 409. Creating something answers 201 with its Location (delivery start: the challenge's projects; evidence
/// and stage adjustment requests: the project that holds them); every decision answers 200 with a <see cref="DeliveryTransition"/>.
/// Routes: a project's collections hang under <c>delivery-projects/{id}</c>; one milestone's or one stage
/// adjustment's actions under <c>milestones/{id}</c> and <c>stage-adjustments/{id}</c>.
/// </summary>
[ApiController]
[Authorize]
[IgnoreAntiforgeryToken(Order = 1001)]
[Route("api/v1")]
[Tags("Delivery")]
[ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
public sealed class DeliveryChangesApiController(UseCases useCases) : ControllerBase
{
    /// <summary>Start delivery of an awarded challenge (the contract is signed): one project per winner; Awarded → InDelivery.</summary>
    [Idempotent]
    [HttpPost("challenges/{id:long}/delivery/start")]
    [ProducesResponseType<DeliveryStarted>(StatusCodes.Status201Created)]
    public async Task<ActionResult> Start(long id, StartDeliveryBody body, [FromServices] StartDelivery startDelivery, CancellationToken cancellationToken) =>
        this.ToCreated(await useCases.RunAsync(startDelivery, new StartDeliveryRequest(id, body.Note), cancellationToken),
            started => $"/api/v1/delivery-projects?challengeId={started.ChallengeId}");

    /// <summary>The vendor submits evidence (text and links) for a pending or rejected milestone. Every submission is kept.</summary>
    [Idempotent]
    [HttpPost("milestones/{id:long}/evidence")]
    [ProducesResponseType<EvidenceSubmitted>(StatusCodes.Status201Created)]
    public async Task<ActionResult> SubmitEvidence(long id, EvidenceBody body, [FromServices] SubmitEvidence submitEvidence, CancellationToken cancellationToken) =>
        this.ToCreated(await useCases.RunAsync(submitEvidence, new SubmitEvidenceRequest(id, body.Body, body.Links), cancellationToken), ProjectLocation);

    /// <summary>The enterprise accepts a milestone's latest evidence, noting which acceptance targets (1-based) were met; the payment share is recorded as released.</summary>
    [HttpPost("milestones/{id:long}/accept")]
    [ProducesResponseType<DeliveryTransition>(StatusCodes.Status200OK)]
    public async Task<ActionResult<DeliveryTransition>> Accept(long id, AcceptMilestoneBody body, [FromServices] DecideMilestone decide, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(decide, DecideMilestoneRequest.Accepting(id, body.Note, body.TargetsMet), cancellationToken));

    /// <summary>The enterprise rejects a milestone's latest evidence, with the reason the vendor reads.</summary>
    [HttpPost("milestones/{id:long}/reject")]
    [ProducesResponseType<DeliveryTransition>(StatusCodes.Status200OK)]
    public async Task<ActionResult<DeliveryTransition>> Reject(long id, RejectMilestoneBody body, [FromServices] DecideMilestone decide, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(decide, DecideMilestoneRequest.Rejecting(id, body.Reason), cancellationToken));

    /// <summary>Either party asks for a stage adjustment: new due dates and/or deliverables for milestones not yet accepted, with a reason.</summary>
    [Idempotent]
    [HttpPost("delivery-projects/{id:long}/stage-adjustments")]
    [ProducesResponseType<AdjustmentRequested>(StatusCodes.Status201Created)]
    public async Task<ActionResult> RequestAdjustment(long id, StageAdjustmentBody body, [FromServices] RequestAdjustment requestAdjustment, CancellationToken cancellationToken) =>
        this.ToCreated(await useCases.RunAsync(requestAdjustment, new RequestAdjustmentRequest(id, body.Changes, body.Reason), cancellationToken), ProjectLocation);

    /// <summary>A programme officer approves a stage adjustment: the changes apply, the old values stay in the request.</summary>
    [HttpPost("stage-adjustments/{id:long}/approve")]
    [ProducesResponseType<DeliveryTransition>(StatusCodes.Status200OK)]
    public async Task<ActionResult<DeliveryTransition>> Approve(long id, AdjustmentDecisionBody body, [FromServices] DecideAdjustment decide, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(decide, new DecideAdjustmentRequest(id, true, body.Note), cancellationToken));

    /// <summary>A programme officer declines a stage adjustment, with a note both parties read.</summary>
    [HttpPost("stage-adjustments/{id:long}/decline")]
    [ProducesResponseType<DeliveryTransition>(StatusCodes.Status200OK)]
    public async Task<ActionResult<DeliveryTransition>> Decline(long id, AdjustmentDecisionBody body, [FromServices] DecideAdjustment decide, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(decide, new DecideAdjustmentRequest(id, false, body.Note), cancellationToken));

    /// <summary>
    /// A programme officer files an active project as failed (失败备案): category (technical, data, integration,
    /// organisational, commercial, external), cause and lessons learned. Closed without penalty to the vendor.
    /// </summary>
    [HttpPost("delivery-projects/{id:long}/failure-filing")]
    [ProducesResponseType<DeliveryTransition>(StatusCodes.Status200OK)]
    public async Task<ActionResult<DeliveryTransition>> FileFailure(long id, FailureFilingBody body, [FromServices] FileFailure fileFailure, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(fileFailure, new FileFailureRequest(id, body.Category, body.Cause, body.Lessons), cancellationToken));

    /// <summary>The enterprise grants or declines consent to publish a completed project as the vendor's portfolio case (naming itself as client only if nameClient).</summary>
    [HttpPost("delivery-projects/{id:long}/portfolio-consent")]
    [ProducesResponseType<PortfolioConsentRecorded>(StatusCodes.Status200OK)]
    public async Task<ActionResult<PortfolioConsentRecorded>> Consent(long id, PortfolioConsentBody body, [FromServices] RecordPortfolioConsent recordConsent, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(recordConsent, new PortfolioConsentRequest(id, body.Grant, body.NameClient), cancellationToken));

    private static string ProjectLocation(EvidenceSubmitted evidence) => $"/api/v1/delivery-projects/{evidence.ProjectId}";

    private static string ProjectLocation(AdjustmentRequested adjustment) => $"/api/v1/delivery-projects/{adjustment.ProjectId}";
}
