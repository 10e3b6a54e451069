using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Awards;
using Marketplace.Core.Reviews;
using Marketplace.Data.Proposals;
using Marketplace.Data.Reviews;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Reviews;

public sealed record AssignReviewerRequest(long ReviewerUserId, IReadOnlyList<long>? ProposalIds);

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
/// own proposal's outcome after the decision; the decision's winners are public.
/// </summary>
[ApiController]
[Authorize]
[IgnoreAntiforgeryToken(Order = 1001)]
[Route("api/v1")]
[Tags("Review and award")]
public sealed class ReviewsApiController(ReviewReader reader, Viewer viewer) : ControllerBase
{
    /// <summary>Officers: the review board of a challenge — rubric, assignments, aggregate per proposal, what is missing, prices once open.</summary>
    [HttpGet("challenges/{id:long}/review")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<ReviewBoard>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ReviewBoard>> Board(long id, CancellationToken cancellationToken)
    {
        var result = await reader.BoardAsync(id, withSuggestions: true, cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }

    /// <summary>Officers: assign a reviewer to the named proposals, or to every submitted proposal (conflicted ones are left out). The first assignment starts review.</summary>
    [HttpPost("challenges/{id:long}/review/assignments")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<AssignmentsMade>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<AssignmentsMade>> Assign(long id, AssignReviewerRequest request, [FromServices] AssignReviewerHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, request.ReviewerUserId, request.ProposalIds, cancellationToken);
        return result.IsSuccess ? Created($"/api/v1/challenges/{id}/review", result.Value) : this.ToProblem(result.Error!);
    }

    /// <summary>Officers: remove an assignment that has no scores (kept as a record).</summary>
    [HttpDelete("challenges/{id:long}/review/assignments/{assignmentId:long}")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<AssignmentChanged>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<AssignmentChanged>> Remove(long id, long assignmentId, [FromServices] RemoveAssignmentHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, assignmentId, cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }

    /// <summary>Officers: replace the rubric (2–8 criteria, whole weights summing to 100) until the first score is recorded.</summary>
    [HttpPut("challenges/{id:long}/review/rubric")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<IReadOnlyList<RubricCriterion>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<IReadOnlyList<RubricCriterion>>> Rubric(long id, RubricRequest request, [FromServices] EditRubricHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, request.Criteria ?? [], cancellationToken);
        return result.IsSuccess ? Ok(result.Value) : this.ToProblem(result.Error!);
    }

    /// <summary>Officers: close technical scoring, which opens the price envelopes. 409 with what is missing while a review is incomplete.</summary>
    [HttpPost("challenges/{id:long}/review/close")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<PriceEnvelopesOpened>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<PriceEnvelopesOpened>> Close(long id, [FromServices] CloseTechnicalScoringHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }

    /// <summary>Officers: how many proposals may win this challenge (1–20; the configured default otherwise).</summary>
    [HttpPut("challenges/{id:long}/award/quota")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<QuotaSet>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<QuotaSet>> Quota(long id, QuotaRequest request, [FromServices] SetAwardQuotaHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, request.Quota, cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }

    /// <summary>Officers: record the decision once — winners (in rank order, up to the quota) or no award with a reason; feedback for every non-winner.</summary>
    [HttpPost("challenges/{id:long}/award")]
    [Authorize(Policy = AuthPolicies.Officer)]
    [ProducesResponseType<AwardDecided>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<AwardDecided>> Decide(long id, AwardRequest request, [FromServices] DecideAwardHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, request.ToInput(), cancellationToken);
        return result.IsSuccess ? Created($"/api/v1/challenges/{id}/award", result.Value) : this.ToProblem(result.Error!);
    }

    /// <summary>The decision on a challenge: outcome and winners (public); the ranking for the challenge's enterprise and officers.</summary>
    [HttpGet("challenges/{id:long}/award")]
    [AllowAnonymous]
    [ProducesResponseType<ChallengeAward>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ChallengeAward>> Award(long id, CancellationToken cancellationToken)
    {
        var result = await reader.AwardAsync(id, cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }

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
    public async Task<ActionResult<ReviewWork>> Work(long id, CancellationToken cancellationToken)
    {
        var result = await reader.WorkAsync(id, cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }

    /// <summary>Reviewers: accept an assignment.</summary>
    [HttpPost("reviews/{id:long}/accept")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    [ProducesResponseType<AssignmentChanged>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<AssignmentChanged>> Accept(long id, [FromServices] RespondToAssignmentHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.AcceptAsync((await viewer.ActorAsync(cancellationToken))!, id, cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }

    /// <summary>Reviewers: declare a conflict of interest (reason required); the assignment is removed and officers are told.</summary>
    [HttpPost("reviews/{id:long}/conflict")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    [ProducesResponseType<AssignmentChanged>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<AssignmentChanged>> Conflict(long id, ConflictRequest request, [FromServices] RespondToAssignmentHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.DeclareConflictAsync((await viewer.ActorAsync(cancellationToken))!, id, request.Reason, cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }

    /// <summary>Reviewers: save scores (every criterion 1–10 with a comment). Each save is kept; the latest counts.</summary>
    [HttpPost("reviews/{id:long}/scores")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    [ProducesResponseType<ScoresSaved>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ScoresSaved>> Scores(long id, ScoresRequest request, [FromServices] RecordScoresHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, request.Scores ?? [], cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }

    /// <summary>Vendors: their own proposal's outcome, feedback and aggregated scores per criterion (reviewers anonymous), after the decision.</summary>
    [HttpGet("proposals/{id:long}/outcome")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<ProposalOutcome>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ProposalOutcome>> Outcome(long id, CancellationToken cancellationToken)
    {
        var result = await reader.OutcomeAsync(id, cancellationToken);
        return result.IsSuccess ? result.Value! : this.ToProblem(result.Error!);
    }
}
