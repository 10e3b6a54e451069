using Marketplace.Core.Awards;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Reviews;
using Marketplace.Core.Reviews;
using Marketplace.Data.Reviews;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Reviews;

/// <summary>Resource anchor for the review and award pages (ReviewText.zh-CN.resx). Keys are the English text.</summary>
public sealed class ReviewText;

public sealed class CriterionForm
{
    public string? NameZh { get; set; }
    public string? NameEn { get; set; }
    public int? Weight { get; set; }
}

public sealed class ScoreForm
{
    public long CriterionId { get; set; }
    public int? Score { get; set; }
    public string? Comment { get; set; }
}

public sealed record ReviewBoardPage(ReviewBoard Board, string? Message);

/// <summary>The proposed reviewer assignment of a challenge, for the officer to edit and confirm.</summary>
public sealed record AssignmentProposalPage(ReviewerAssignmentPlan Plan);

public sealed record ReviewQueuePage(IReadOnlyList<ReviewQueueItem> Items);

public sealed record MyReviewsPage(IReadOnlyList<AssignmentItem> Items, string? Message);

public sealed record ReviewWorkPage(ReviewWork Work, string? Message);

/// <summary>
/// The review and award pages: the officers' list and board (assign, remove, rubric, close technical scoring, quota,
/// decision, audit), the reviewer's "my reviews" and scoring page. Thin adapters: the same use cases and rules as the
/// API, run through <see cref="UseCases"/>; a refusal shows the page again with the reason.
/// </summary>
[Authorize]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ReviewsController(UseCases useCases, ReviewReader reader, ReviewBoardQuery boards, ReviewStore store, TimeProvider clock, IStringLocalizer<ReviewText> text) : Controller
{
    private const string MessageKey = "Reviews.Message";

    [HttpGet("/review")]
    [Authorize(Policy = AuthPolicies.Officer)]
    public async Task<IActionResult> Queue(CancellationToken cancellationToken) =>
        View(new ReviewQueuePage(await store.QueueAsync(clock.GetUtcNow(), cancellationToken)));

    [HttpGet("/challenges/{id:long}/review")]
    [Authorize(Policy = AuthPolicies.Officer)]
    public Task<IActionResult> Board(long id, CancellationToken cancellationToken) => BoardPageAsync(id, null, cancellationToken);

    [HttpPost("/challenges/{id:long}/review/assign")]
    [Authorize(Policy = AuthPolicies.Officer)]
    public async Task<IActionResult> Assign(long id, long? reviewerUserId, long? proposalId, [FromServices] AssignReviewer assign, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // A value the lists never offer (not a whole number) binds as null, and no proposal means every proposal:
            // refuse it with the binder's message rather than widen the assignment.
            return await InvalidFormAsync(id, cancellationToken);
        }

        if (reviewerUserId is not { } reviewer)
        {
            return await BoardPageAsync(id, Error.Invalid("reviewerUserId", "Choose a reviewer."), cancellationToken);
        }

        return await AfterAsync(id, await useCases.RunAsync(assign, new ReviewerAssignment(id, reviewer, proposalId is { } p ? [p] : null), cancellationToken),
            r => (r.Assigned.Count == 1 ? text["Assigned to {0} proposal; the reviewer is notified.", 1] : text["Assigned to {0} proposals; the reviewer is notified.", r.Assigned.Count]) +
                (r.Skipped.Count > 0 ? " " + text["Left out: {0}.", string.Join(", ", r.Skipped.Select(s => s.VendorName + " (" + text[SkipReason(s.Reason)] + ")"))] : ""),
            cancellationToken);
    }

    [HttpGet("/challenges/{id:long}/review/assignment-proposal")]
    [Authorize(Policy = AuthPolicies.Officer)]
    public Task<IActionResult> AssignmentProposal(long id, [FromServices] ProposeReviewerAssignment propose, CancellationToken cancellationToken) =>
        AssignmentProposalPageAsync(id, propose, null, cancellationToken);

    /// <summary>Applies the pairs left ticked (and any added), each sent as "proposalId:reviewerUserId".</summary>
    [HttpPost("/challenges/{id:long}/review/assignment-proposal")]
    [Authorize(Policy = AuthPolicies.Officer)]
    public async Task<IActionResult> ApplyAssignment(long id, List<string>? pairs, [FromServices] ApplyReviewerAssignment apply, [FromServices] ProposeReviewerAssignment propose,
        CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(apply, new ReviewerAssignmentApplication(id, ParsePairs(pairs)), cancellationToken);
        if (result.IsSuccess)
        {
            TempData[MessageKey] = (result.Value!.Assigned.Count == 1 ? text["{0} reviewer assignment made; the reviewer is notified.", 1] : text["{0} reviewer assignments made; each reviewer is notified.", result.Value!.Assigned.Count]) +
                (result.Value.AlreadyAssigned.Count > 0 ? " " + (result.Value.AlreadyAssigned.Count == 1 ? text["{0} was already assigned.", 1] : text["{0} were already assigned.", result.Value.AlreadyAssigned.Count]) : "");
            return Redirect($"/challenges/{id}/review");
        }

        return await AssignmentProposalPageAsync(id, propose, result.Error, cancellationToken);
    }

    [HttpPost("/challenges/{id:long}/review/assignments/{assignmentId:long}/remove")]
    [Authorize(Policy = AuthPolicies.Officer)]
    public async Task<IActionResult> Remove(long id, long assignmentId, [FromServices] RemoveAssignment remove, CancellationToken cancellationToken) =>
        await AfterAsync(id, await useCases.RunAsync(remove, new AssignmentRemoval(id, assignmentId), cancellationToken),
            _ => text["The assignment is removed; the reviewer is notified."], cancellationToken);

    [HttpPost("/challenges/{id:long}/review/rubric")]
    [Authorize(Policy = AuthPolicies.Officer)]
    public async Task<IActionResult> Rubric(long id, List<CriterionForm>? criteria, [FromServices] EditRubric editRubric, CancellationToken cancellationToken) =>
        await AfterAsync(id, await useCases.RunAsync(editRubric,
                new RubricEdit(id, (criteria ?? []).Select(c => new CriterionInput { NameZh = c.NameZh, NameEn = c.NameEn, Weight = c.Weight }).ToList()), cancellationToken),
            _ => text["The rubric is saved."], cancellationToken);

    [HttpPost("/challenges/{id:long}/review/close")]
    [Authorize(Policy = AuthPolicies.Officer)]
    public async Task<IActionResult> Close(long id, [FromServices] CloseTechnicalScoring close, CancellationToken cancellationToken) =>
        await AfterAsync(id, await useCases.RunAsync(close, new ReviewOf(id), cancellationToken),
            _ => text["Technical scoring is closed and the price envelopes are open. Scores are frozen."], cancellationToken);

    [HttpPost("/challenges/{id:long}/award/quota")]
    [Authorize(Policy = AuthPolicies.Officer)]
    public async Task<IActionResult> Quota(long id, int? quota, [FromServices] SetAwardQuota setQuota, CancellationToken cancellationToken) =>
        await AfterAsync(id, await useCases.RunAsync(setQuota, new QuotaChange(id, quota), cancellationToken), _ => text["The quota is saved."], cancellationToken);

    [HttpPost("/challenges/{id:long}/award")]
    [Authorize(Policy = AuthPolicies.Officer)]
    public async Task<IActionResult> Decide(long id, bool noAward, List<long>? winners, string? reason, [Bind(Prefix = "feedback")] Dictionary<long, string?>? feedback,
        [FromServices] DecideAward decide, CancellationToken cancellationToken) =>
        // A winner or "no award" the form never sends (not a number, not true/false) would be dropped or read as false
        // by the binder, and the rest recorded: refuse the decision instead (it cannot be changed once recorded). The
        // feedback's prefix is explicit: without it a post with no feedback at all would bind every other field as a key.
        !ModelState.IsValid ? await InvalidFormAsync(id, cancellationToken) : await AfterAsync(id, await useCases.RunAsync(decide,
                new AwardDecisionRequest(id, new AwardInput { NoAward = noAward, WinnerProposalIds = winners ?? [], Reason = reason, Feedback = feedback ?? [] }), cancellationToken),
            _ => text["The decision is recorded; vendors, the enterprise and the reviewers are notified."], cancellationToken);

    [HttpGet("/reviews")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    public async Task<IActionResult> Mine(CancellationToken cancellationToken) =>
        View(new MyReviewsPage(await reader.MineAsync(cancellationToken), TempData[MessageKey] as string));

    [HttpGet("/reviews/{id:long}")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    public Task<IActionResult> Work(long id, CancellationToken cancellationToken) => WorkPageAsync(id, null, cancellationToken);

    [HttpPost("/reviews/{id:long}/accept")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    public async Task<IActionResult> Accept(long id, [FromServices] AcceptAssignment accept, CancellationToken cancellationToken) =>
        await AfterWorkAsync(id, await useCases.RunAsync(accept, new AssignmentAnswer(id), cancellationToken),
            text["Accepted. You can now read the technical envelope and score it."], $"/reviews/{id}", cancellationToken);

    [HttpPost("/reviews/{id:long}/conflict")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    public async Task<IActionResult> Conflict(long id, string? reason, [FromServices] DeclareConflict declare, CancellationToken cancellationToken) =>
        await AfterWorkAsync(id, await useCases.RunAsync(declare, new AssignmentAnswer(id, reason), cancellationToken),
            text["Your conflict of interest is recorded; the programme office will assign someone else."], "/reviews", cancellationToken);

    [HttpPost("/reviews/{id:long}/scores")]
    [Authorize(Policy = AuthPolicies.Reviewer)]
    public async Task<IActionResult> Scores(long id, List<ScoreForm>? scores, [FromServices] RecordScores record, CancellationToken cancellationToken) =>
        await AfterWorkAsync(id, await useCases.RunAsync(record,
                new ScoreSheet(id, (scores ?? []).Select(s => new ScoreInput { CriterionId = s.CriterionId, Score = s.Score, Comment = s.Comment }).ToList()), cancellationToken),
            text["Your scores are saved. Earlier scores stay in your history."], $"/reviews/{id}", cancellationToken);

    private static List<PairInput> ParsePairs(List<string>? pairs) =>
        (pairs ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p =>
        {
            var parts = p.Split(':');
            return parts.Length == 2 && long.TryParse(parts[0], out var proposal) && long.TryParse(parts[1], out var reviewer)
                ? new PairInput(proposal, reviewer)
                : new PairInput(0, 0);
        }).ToList();

    private async Task<IActionResult> AssignmentProposalPageAsync(long id, ProposeReviewerAssignment propose, Error? error, CancellationToken cancellationToken)
    {
        if (error is not null && this.Show(AsSummary(error), text) is { } refused)
        {
            return refused;
        }

        var plan = await useCases.RunAsync((actor, ct) => propose.RunAsync(actor, id, ct), cancellationToken);
        if (!plan.IsSuccess)
        {
            // Nothing to propose (no proposal, scoring closed …): the board says why.
            return await BoardPageAsync(id, plan.Error, cancellationToken);
        }

        return View("AssignmentProposal", new AssignmentProposalPage(plan.Value!));
    }

    /// <summary>The English key (ReviewText) of an unfilled slot's reason.</summary>
    public static string UnfilledReason(string reason) => reason switch
    {
        AssignmentReasons.NotEnoughEligibleReviewers => "not enough reviewers without a conflict of interest",
        _ => "the eligible reviewers have reached their load cap",
    };

    private static string SkipReason(string reason) => reason switch
    {
        "conflict_of_interest" => "conflict of interest",
        "conflict_declared" => "conflict declared",
        _ => "already assigned",
    };

    // These pages show every message in the summary above the forms, once each.
    private static Error AsSummary(Error error) => error.FieldErrors is { Count: > 0 }
        ? error with { FieldErrors = new Dictionary<string, string[]> { [""] = error.FieldErrors.Values.SelectMany(m => m).Distinct().ToArray() } }
        : error;

    private async Task<IActionResult> AfterAsync<T>(long id, Result<T> result, Func<T, string> success, CancellationToken cancellationToken)
    {
        if (result.IsSuccess)
        {
            TempData[MessageKey] = success(result.Value!);
            return Redirect($"/challenges/{id}/review");
        }

        return await BoardPageAsync(id, result.Error, cancellationToken);
    }

    /// <summary>The board again, 400, with the model binder's messages in the summary.</summary>
    private async Task<IActionResult> InvalidFormAsync(long id, CancellationToken cancellationToken)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await BoardPageAsync(id, null, cancellationToken);
    }

    private async Task<IActionResult> BoardPageAsync(long id, Error? error, CancellationToken cancellationToken)
    {
        if (error is not null && this.Show(AsSummary(error), text) is { } refused)
        {
            return refused;
        }

        var board = await boards.RunAsync(id, withSuggestions: true, cancellationToken);
        if (!board.IsSuccess)
        {
            return board.Error!.Kind switch
            {
                ErrorKind.NotFound => NotFound(),
                ErrorKind.Forbidden => Forbid(),
                // Not in review (a draft, still open …): the challenge's state, not a server fault.
                _ => Problem(detail: text[board.Error.Message], statusCode: ErrorResponses.StatusCodeOf(board.Error.Kind)),
            };
        }

        return View("Board", new ReviewBoardPage(board.Value!, error is null ? TempData[MessageKey] as string : null));
    }

    private async Task<IActionResult> AfterWorkAsync<T>(long id, Result<T> result, string success, string next, CancellationToken cancellationToken)
    {
        if (result.IsSuccess)
        {
            TempData[MessageKey] = success;
            return Redirect(next);
        }

        return await WorkPageAsync(id, result.Error, cancellationToken);
    }

    private async Task<IActionResult> WorkPageAsync(long id, Error? error, CancellationToken cancellationToken)
    {
        if (error is not null && this.Show(AsSummary(error), text) is { } refused)
        {
            return refused;
        }

        var work = await reader.WorkAsync(id, cancellationToken);
        return work.IsSuccess
            ? View("Work", new ReviewWorkPage(work.Value!, error is null ? TempData[MessageKey] as string : null))
            : NotFound();
    }
}
