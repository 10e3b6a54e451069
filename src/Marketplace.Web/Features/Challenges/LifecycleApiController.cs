using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Notifications;
using Marketplace.Data.Audit;
using Marketplace.Data.Challenges;
using Marketplace.Data.Clarifications;
using Marketplace.Data.Notifications;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Challenges;

/// <summary>A challenge's structured text as the API takes it (POST creates a draft; PUT saves a change).</summary>
public sealed record ChallengeDraftRequest
{
    public string? Title { get; init; }
    public string? Industry { get; init; }
    public string? Scenario { get; init; }
    public string? CurrentProcess { get; init; }
    public string? DataAvailable { get; init; }
    public string? Constraints { get; init; }
    public IReadOnlyList<AcceptanceTargetInput>? AcceptanceTargets { get; init; }
    public string? ExpectedOutcome { get; init; }
    public int? TargetTrl { get; init; }
    public decimal? BudgetAmount { get; init; }

    /// <summary>ISO 4217 code; CNY when omitted.</summary>
    public string? BudgetCurrency { get; init; }

    /// <summary>ISO 8601 with an offset, e.g. 2026-12-31T18:00:00+08:00; stored in UTC.</summary>
    public DateTimeOffset? DeadlineAt { get; init; }

    /// <summary>zh or en.</summary>
    public string? Language { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public IReadOnlyList<string>? AttachmentLinks { get; init; }

    /// <summary>public (default) or confidential.</summary>
    public string? Visibility { get; init; }

    /// <summary>POST only: which of your enterprises posts it, when you belong to several.</summary>
    public long? EnterpriseId { get; init; }

    /// <summary>PUT only, required: the rowVersion you read. A stale one gets 409 and changes nothing.</summary>
    public int? RowVersion { get; init; }

    /// <summary>PUT on a published challenge: what changed, for the vendors following it.</summary>
    public string? ChangeNote { get; init; }

    public ChallengeDraft ToDraft() => new()
    {
        Title = Title,
        Industry = Industry,
        Scenario = Scenario,
        CurrentProcess = CurrentProcess,
        DataAvailable = DataAvailable,
        Constraints = Constraints,
        AcceptanceTargets = AcceptanceTargets ?? [],
        ExpectedOutcome = ExpectedOutcome,
        TargetTrl = TargetTrl,
        BudgetAmount = BudgetAmount,
        BudgetCurrency = BudgetCurrency,
        DeadlineAt = DeadlineAt,
        Language = Language,
        Tags = Tags ?? [],
        AttachmentLinks = AttachmentLinks ?? [],
        Visibility = Visibility,
    };
}

public sealed record SubmitRequest(int? RowVersion);

public sealed record ReasonRequest(string? Reason);

/// <summary>The new deadline for proposals (ISO 8601 with an offset) and an optional note kept with the new version.</summary>
public sealed record ReopenRequest(DateTimeOffset? DeadlineAt, string? Note);

public sealed record PublishRequest(string? OverrideReason);

public sealed record QuestionRequest(string? Question);

public sealed record AnswerRequest(string? Answer);

public sealed record CreatedId(long Id);

public sealed record NdaAcceptance(long ChallengeId, string TermsVersion, bool Accepted);

public sealed record ScreeningReport(ChallengeDetail Challenge, IReadOnlyList<NegativeListFlag> Flags, IReadOnlyList<AuditEntry> Audit);

/// <summary>
/// The challenge lifecycle in the JSON API: drafts, screening moves, clarifications, NDA acceptance and
/// notifications, with the same handlers (and so the same rules) as the pages. Errors are RFC 7807 problem details:
/// 400 bad input, 403 another organisation's challenge or the wrong role, 404 what the caller may not see, 409 an
/// illegal transition or a stale rowVersion.
/// </summary>
[ApiController]
[Route("api/v1")]
[Authorize]
[Tags("Challenge lifecycle")]
public sealed class LifecycleApiController(Viewer viewer, UseCases useCases, ChallengeStore challenges, TimeProvider clock) : ControllerBase
{
    /// <summary>Create a draft challenge for your enterprise.</summary>
    [Idempotent]
    [HttpPost("challenges")]
    [Authorize(Policy = AuthPolicies.Enterprise)]
    [ProducesResponseType<ChallengeDetail>(StatusCodes.Status201Created)]
    public async Task<ActionResult<ChallengeDetail>> Create(ChallengeDraftRequest request, [FromServices] CreateChallengeDraft createDraft, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(createDraft, new CreateDraftRequest(request.ToDraft(), request.EnterpriseId), cancellationToken);
        if (!result.IsSuccess)
        {
            return this.ToProblem(result.Error!);
        }

        var created = await challenges.FindAsync(result.Value, cancellationToken);
        return Created($"/api/v1/challenges/{result.Value}", created);
    }

    /// <summary>Save a change to a draft (or, as a new published version, to an open challenge). Send the rowVersion you read.</summary>
    [HttpPut("challenges/{id:long}")]
    [Authorize(Policy = AuthPolicies.Enterprise)]
    [ProducesResponseType<ChallengeDetail>(StatusCodes.Status200OK)]
    public async Task<ActionResult<ChallengeDetail>> Update(long id, ChallengeDraftRequest request, [FromServices] UpdateChallenge updateChallenge, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(updateChallenge, new UpdateChallengeRequest(id, request.RowVersion, request.ToDraft(), request.ChangeNote), cancellationToken);
        return result.IsSuccess ? (await challenges.FindAsync(id, cancellationToken))! : this.ToProblem(result.Error!);
    }

    /// <summary>Submit a draft (or a returned challenge) for screening by the programme office.</summary>
    [HttpPost("challenges/{id:long}/submit")]
    [Authorize(Policy = AuthPolicies.Enterprise)]
    [ProducesResponseType<ChallengeTransition>(StatusCodes.Status200OK)]
    public async Task<ActionResult<ChallengeTransition>> Submit(long id, SubmitRequest? request, [FromServices] SubmitChallenge move, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(move, new ChallengeMove(id, ExpectedRowVersion: request?.RowVersion), cancellationToken));

    /// <summary>Withdraw your challenge (a draft, one under screening or returned, or a published one).</summary>
    [HttpPost("challenges/{id:long}/withdraw")]
    [Authorize(Policy = AuthPolicies.Enterprise)]
    [ProducesResponseType<ChallengeTransition>(StatusCodes.Status200OK)]
    public async Task<ActionResult<ChallengeTransition>> Withdraw(long id, ReasonRequest? request, [FromServices] WithdrawChallenge move, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(move, new ChallengeMove(id, request?.Reason), cancellationToken));

    /// <summary>
    /// Re-open your challenge that ended without proposals, with a new deadline (ISO 8601 with offset). It is published
    /// again as a new version; vendors who followed it and the programme office are told.
    /// </summary>
    [HttpPost("challenges/{id:long}/reopen")]
    [Authorize(Policy = AuthPolicies.Enterprise)]
    [ProducesResponseType<ChallengeTransition>(StatusCodes.Status200OK)]
    public async Task<ActionResult<ChallengeTransition>> Reopen(long id, ReopenRequest? request, [FromServices] ReopenChallenge reopen, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(reopen, new ReopenChallengeRequest(id, request?.DeadlineAt, request?.Note), cancellationToken));

    /// <summary>Officers: publish a screened challenge. A challenge the negative list flags needs overrideReason.</summary>
    [HttpPost("challenges/{id:long}/publish")]
    [Authorize(Policy = AuthPolicies.ProgrammeStaff)]
    [ProducesResponseType<ChallengeTransition>(StatusCodes.Status200OK)]
    public async Task<ActionResult<ChallengeTransition>> Publish(long id, PublishRequest? request, [FromServices] PublishChallenge move, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(move, new ChallengeMove(id, request?.OverrideReason), cancellationToken));

    /// <summary>Officers: return a challenge to its enterprise for changes, with a reason they will see.</summary>
    [HttpPost("challenges/{id:long}/return")]
    [Authorize(Policy = AuthPolicies.ProgrammeStaff)]
    [ProducesResponseType<ChallengeTransition>(StatusCodes.Status200OK)]
    public async Task<ActionResult<ChallengeTransition>> Return(long id, ReasonRequest? request, [FromServices] ReturnChallenge move, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(move, new ChallengeMove(id, request?.Reason), cancellationToken));

    /// <summary>Officers: reject a challenge, with a reason its enterprise will see.</summary>
    [HttpPost("challenges/{id:long}/reject")]
    [Authorize(Policy = AuthPolicies.ProgrammeStaff)]
    [ProducesResponseType<ChallengeTransition>(StatusCodes.Status200OK)]
    public async Task<ActionResult<ChallengeTransition>> Reject(long id, ReasonRequest? request, [FromServices] RejectChallenge move, CancellationToken cancellationToken) =>
        this.ToResponse(await useCases.RunAsync(move, new ChallengeMove(id, request?.Reason), cancellationToken));

    /// <summary>Officers: the screening queue (challenges submitted for screening, oldest first).</summary>
    [HttpGet("screening/challenges")]
    [Authorize(Policy = AuthPolicies.ProgrammeStaff)]
    public async Task<IReadOnlyList<ChallengeWorkItem>> ScreeningQueue([FromServices] ChallengeLifecycleStore store, CancellationToken cancellationToken) =>
        await store.ScreeningQueueAsync(cancellationToken);

    /// <summary>Officers: a challenge's negative-list flags and its audit log.</summary>
    [HttpGet("challenges/{id:long}/screening")]
    [Authorize(Policy = AuthPolicies.ProgrammeStaff)]
    public async Task<ActionResult<ScreeningReport>> Screening(long id, [FromServices] NegativeListStore negativeList, [FromServices] AuditLog audit, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null)
        {
            return this.ToProblem(ChallengePolicy.NotFound(id));
        }

        return new ScreeningReport(challenge, await negativeList.ScreenAsync(challenge, cancellationToken), await audit.ForChallengeAsync(id, cancellationToken));
    }

    /// <summary>Your enterprise's challenges in every state, with the officer's reason when returned or rejected.</summary>
    [HttpGet("my/challenges")]
    [Authorize(Policy = AuthPolicies.Enterprise)]
    public async Task<IReadOnlyList<ChallengeWorkItem>> Mine([FromServices] ChallengeLifecycleStore store, CancellationToken cancellationToken)
        => await store.ForEnterprisesAsync(await viewer.OrganisationIdsAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// A challenge's clarifications: answered ones (asker anonymous) for every viewer, unanswered ones only for the asker,
    /// the enterprise and officers. For a confidential challenge, only for those who may read its full text.
    /// </summary>
    [HttpGet("challenges/{id:long}/questions")]
    [AllowAnonymous]
    public async Task<ActionResult<IReadOnlyList<ClarificationView>>> Questions(long id, [FromServices] ClarificationStore questions, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null || !await viewer.MaySeeAsync(challenge, cancellationToken))
        {
            return this.ToProblem(ChallengePolicy.NotFound(id));
        }

        if (!await viewer.MayReadFullTextAsync(challenge, cancellationToken))
        {
            return this.ToProblem(Error.Forbidden("This challenge is confidential: accept its NDA terms (POST /api/v1/challenges/{id}/nda) to read its clarifications."));
        }

        var seesUnanswered = viewer.IsProgrammeStaff || await viewer.OwnsAsync(challenge.EnterpriseId, cancellationToken);
        var list = await questions.ForChallengeAsync(id, await viewer.OrganisationIdsAsync(cancellationToken), seesUnanswered, cancellationToken);
        return list.ToList();
    }

    /// <summary>Vendors: ask a question on an open challenge.</summary>
    [Idempotent]
    [HttpPost("challenges/{id:long}/questions")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<CreatedId>(StatusCodes.Status201Created)]
    public async Task<ActionResult<CreatedId>> Ask(long id, QuestionRequest request, [FromServices] AskQuestion askQuestion, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(askQuestion, new AskQuestionRequest(id, request.Question), cancellationToken);
        return result.IsSuccess ? Created($"/api/v1/challenges/{id}/questions", new CreatedId(result.Value)) : this.ToProblem(result.Error!);
    }

    /// <summary>The enterprise or an officer answers a question; the answer is published to every viewer.</summary>
    [HttpPost("questions/{id:long}/answer")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> AnswerQuestion(long id, AnswerRequest request, [FromServices] AnswerQuestion answerQuestion, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(answerQuestion, new AnswerQuestionRequest(id, request.Answer), cancellationToken);
        return result.IsSuccess ? NoContent() : this.ToProblem(result.Error!);
    }

    /// <summary>Vendors: accept a confidential challenge's NDA terms for your organisation; then the full text is readable.</summary>
    [HttpPost("challenges/{id:long}/nda")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    [ProducesResponseType<NdaAcceptance>(StatusCodes.Status200OK)]
    public async Task<ActionResult<NdaAcceptance>> AcceptNda(long id, [FromServices] AcceptNda acceptNda, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(acceptNda, new AcceptNdaRequest(id, null), cancellationToken);
        return result.IsSuccess ? new NdaAcceptance(id, NdaTerms.Version, true) : this.ToProblem(result.Error!);
    }

    /// <summary>Your notifications, newest first, with the unread count in the X-Unread-Count header.</summary>
    [HttpGet("notifications")]
    public async Task<ActionResult<Paged<NotificationItem>>> Notifications(int? page, int? pageSize, [FromServices] NotificationStore notifications, CancellationToken cancellationToken)
    {
        var request = PageRequest.Create(page, pageSize);
        if (!request.IsSuccess)
        {
            return this.ToProblem(request.Error!);
        }

        var userId = viewer.UserId!.Value;
        Response.Headers["X-Unread-Count"] = (await notifications.UnreadCountAsync(userId, cancellationToken)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await notifications.ForUserAsync(userId, request.Value, cancellationToken);
    }

    /// <summary>Mark one of your notifications as read.</summary>
    [HttpPost("notifications/{id:long}/read")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> MarkRead(long id, [FromServices] NotificationStore notifications, CancellationToken cancellationToken) =>
        await notifications.MarkReadAsync(viewer.UserId!.Value, id, clock.GetUtcNow(), cancellationToken)
            ? NoContent()
            : this.ToProblem(Error.NotFound($"There is no notification {id}."));
}
