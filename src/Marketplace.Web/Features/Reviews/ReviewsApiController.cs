using Marketplace.Core.Awards;
using Marketplace.Core.Features.Reviews;
using Marketplace.Core.Reviews;
using Marketplace.Data.Reviews;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Reviews;

public sealed record AssignReviewerRequest(long ReviewerUserId, IReadOnlyList<long>? ProposalIds);

/// <summary>The pairs to assign, as proposed (possibly edited): each a reviewer on a proposal.</summary>
public sealed record AssignmentPlanRequest(IReadOnlyList<PairInput>? Pairs);

public sealed record RubricRequest(IReadOnlyList<CriterionInput> Criteria);

public sealed record ConflictRequest(string? Reason);

public sealed record ScoresRequest(IReadOnlyList<ScoreInput> Scores);

public sealed record QuotaRequest(int? Quota);

/// <summary>The award decision as the API takes it: winners by proposal id, or noAward with a reason; feedback by proposal id.</summary>
public sealed record AwardRequest(bool NoAward, IReadOnlyList<long>? Winners, string? Reason, IReadOnlyDictionary<long, string?>? Feedback)
{
    public AwardInput ToInput() => new() { NoAward = NoAward, WinnerProposalIds = Winners ?? [], Reason = Reason, Feedback = Feedback ?? new Dictionary<long, string?>() };
}

/// <summary>
/// Review and award in the JSON API. Officers run the board (assign, remove, rubric, close technical scoring, quota,
/// decision); a reviewer sees and works only on their own assignments (404 for anyone else's); a vendor reads its
/// own proposal's outcome after the decision; the decision's winners are public. Each endpoint binds the request,
/// runs one use case and answers with <see cref="ErrorResponses"/>: 201 with a Location for what it creates.
/// </summary>
[ApiController]
[Authorize]
[IgnoreAntiforgeryToken(Order = 1001)]
[Route("api/v1")]
[Tags("Review and award")]
public sealed class ReviewsApiController(UseCases useCases, ReviewReader reader) : ControllerBase
{
    /// <summary>Officers: the review board of a challenge — rubric, assignments, aggregate per proposal, what is missing, prices once open.</summary>
    [HttpGet("challenges/{id:long}/review")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<ReviewBoard>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ReviewBoard>> Board(long id, [FromServices] ReviewBoardQuery board, CancellationToken cancellationToken) =>
        this.ToResponse(await board.RunAsync(id, withSuggestions: true, cancellationToken));

    /// <summary>Officers: assign a reviewer to the named proposals, or to every submitted proposal (conflicted ones are left out). The first assignment starts review.</summary>
    [Idempotent]
    [HttpPost("challenges/{id:long}/review/assignments")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<AssignmentsMade>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult> Assign(long id, AssignReviewerRequest request, [FromServices] AssignReviewer assign, CancellationToken cancellationToken) =>
        this.ToCreated(await useCases.RunAsync(assign, new ReviewerAssignment(id, request.ReviewerUserId, request.ProposalIds), cancellationToken),
            _ => $"/api/v1/challenges/{id}/review");

    /// <summary>
    /// Officers: propose k reviewers per proposal (read-only): the optimiser's pairs with their affinity, the reviewers
    /// already on each proposal (kept), the objective, each reviewer's load against the cap, and unfilled slots with the reason.
    /// </summary>
    [HttpPost("challenges/{id:long}/reviewer-assignment/proposal")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<ReviewerAssignmentPlan>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ReviewerAssignmentPlan>> ProposeAssignment(long id, [FromServices] ProposeReviewerAssignment propose, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync((actor, ct) => propose.RunAsync(actor, id, ct), cancellationToken));

    /// <summary>
    /// Officers: apply a plan, possibly edited (<c>{pairs: [{proposalId, reviewerUserId}]}</c>). Every pair is checked like a
    /// manual assignment; one refused pair refuses all (409 or 400) and nothing changes. 201 when assignments were made;
    /// 200 when every pair was already assigned (applying twice is harmless).
    /// </summary>
    [Idempotent]
    [HttpPost("challenges/{id:long}/reviewer-assignment")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<AssignmentPlanApplied>(StatusCodes.Status201Created)]
    [ProducesResponseType<AssignmentPlanApplied>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult> ApplyAssignment(long id, AssignmentPlanRequest request, [FromServices] ApplyReviewerAssignment apply, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(apply, new ReviewerAssignmentApplication(id, request.Pairs ?? []), cancellationToken);
        return result.IsSuccess && result.Value!.Assigned.Count == 0
            ? Ok(result.Value)
            : this.ToCreated(result, _ => $"/api/v1/challenges/{id}/review");
    }

    /// <summary>Officers: remove an assignment that has no scores (kept as a record).</summary>
    [HttpDelete("challenges/{id:long}/review/assignments/{assignmentId:long}")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<AssignmentChanged>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<AssignmentChanged>> Remove(long id, long assignmentId, [FromServices] RemoveAssignment remove, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(remove, new AssignmentRemoval(id, assignmentId), cancellationToken));

    /// <summary>Officers: replace the rubric (2–8 criteria, whole weights summing to 100) until the first score is recorded.</summary>
    [HttpPut("challenges/{id:long}/review/rubric")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<IReadOnlyList<RubricCriterion>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<IReadOnlyList<RubricCriterion>>> Rubric(long id, RubricRequest request, [FromServices] EditRubric editRubric, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(editRubric, new RubricEdit(id, request.Criteria ?? []), cancellationToken));

    /// <summary>Officers: close technical scoring, which opens the price envelopes. 409 with what is missing while a review is incomplete.</summary>
    [HttpPost("challenges/{id:long}/review/close")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<TechnicalScoringClosed>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<TechnicalScoringClosed>> Close(long id, [FromServices] CloseTechnicalScoring close, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(close, new ReviewOf(id), cancellationToken));

    /// <summary>Officers: how many proposals may win this challenge (1–20; the configured default otherwise).</summary>
    [HttpPut("challenges/{id:long}/award/quota")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<QuotaSet>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<QuotaSet>> Quota(long id, QuotaRequest request, [FromServices] SetAwardQuota setQuota, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(setQuota, new QuotaChange(id, request.Quota), cancellationToken));

    /// <summary>Officers: record the decision once — winners (in rank order, up to the quota) or no award with a reason; feedback for every non-winner.</summary>
    [Idempotent]
    [HttpPost("challenges/{id:long}/award")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<AwardDecided>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult> Decide(long id, AwardRequest request, [FromServices] DecideAward decide, CancellationToken cancellationToken) =>
        this.ToCreated(await useCases.RunAsync(decide, new AwardDecisionRequest(id, request.ToInput()), cancellationToken), _ => $"/api/v1/challenges/{id}/award");

    /// <summary>The decision on a challenge: outcome and winners (public); the ranking for the challenge's enterprise and officers.</summary>
    [HttpGet("challenges/{id:long}/award")]
    [AllowAnonymous]
    [ProducesResponseType<ChallengeAward>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ChallengeAward>> Award(long id, CancellationToken cancellationToken) =>
        this.ToResponse(await reader.AwardAsync(id, cancellationToken));

    /// <summary>Reviewers: their own assignments, in every state.</summary>
    [HttpGet("my/reviews")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    [ProducesResponseType<IReadOnlyList<AssignmentItem>>(StatusCodes.Status200OK)]
    public async Task<ActionResult<IReadOnlyList<AssignmentItem>>> Mine(CancellationToken cancellationToken) => Ok(await reader.MineAsync(cancellationToken));

    /// <summary>Reviewers: one of their assignments with the technical envelope (once accepted), the rubric, their latest scores and history.</summary>
    [HttpGet("reviews/{id:long}")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    [ProducesResponseType<ReviewWork>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ReviewWork>> Work(long id, CancellationToken cancellationToken) =>
        this.ToResponse(await reader.WorkAsync(id, cancellationToken));

    /// <summary>Reviewers: accept an assignment.</summary>
    [HttpPost("reviews/{id:long}/accept")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    [ProducesResponseType<AssignmentChanged>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<AssignmentChanged>> Accept(long id, [FromServices] AcceptAssignment accept, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(accept, new AssignmentAnswer(id), cancellationToken));

    /// <summary>Reviewers: declare a conflict of interest (reason required); the assignment is removed and officers are told.</summary>
    [HttpPost("reviews/{id:long}/conflict")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    [ProducesResponseType<AssignmentChanged>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<AssignmentChanged>> Conflict(long id, ConflictRequest request, [FromServices] DeclareConflict declare, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(declare, new AssignmentAnswer(id, request.Reason), cancellationToken));

    /// <summary>Reviewers: save scores (every criterion 1–10 with a comment). Each save is kept; the latest counts.</summary>
    [HttpPost("reviews/{id:long}/scores")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    [ProducesResponseType<ScoresSaved>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ScoresSaved>> Scores(long id, ScoresRequest request, [FromServices] RecordScores record, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(record, new ScoreSheet(id, request.Scores ?? []), cancellationToken));

    /// <summary>Vendors: their own proposal's outcome, feedback and aggregated scores per criterion (reviewers anonymous), after the decision.</summary>
    [HttpGet("proposals/{id:long}/outcome")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<ProposalOutcome>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ProposalOutcome>> Outcome(long id, CancellationToken cancellationToken) =>
        this.ToResponse(await reader.OutcomeAsync(id, cancellationToken));
}
