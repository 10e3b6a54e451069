using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Data.Audit;
using Marketplace.Data.Challenges;
using Marketplace.Web.Features.Challenges;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Screening;

public sealed record ScreeningQueuePage(IReadOnlyList<ChallengeWorkItem> Items, string? Message);

/// <summary>Everything an officer needs to screen one challenge: its text, negative-list flags, history and versions.</summary>
public sealed record ScreeningReviewPage
{
    public required ChallengeDetail Challenge { get; init; }
    public IReadOnlyList<NegativeListFlag> Flags { get; init; } = [];
    public IReadOnlyList<AuditEntry> Audit { get; init; } = [];
    public IReadOnlyList<ChallengeVersion> Versions { get; init; } = [];
    public string? OverrideReason { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
}

/// <summary>The audit log's chain, walked when the page is opened: intact, or the first broken entry named.</summary>
public sealed record AuditVerifyPage(AuditChainReport Report);

public sealed record NegativeListPage(IReadOnlyList<NegativeListEntry> Entries, NegativeListForm Form, string? Message);

public sealed class NegativeListForm
{
    public string? Phrase { get; set; }
    public string? LabelZh { get; set; }
    public string? LabelEn { get; set; }
    public bool IsActive { get; set; } = true;
}

/// <summary>The programme office's screening: the queue, one challenge's review with its audit log, and the negative list.</summary>
[Authorize(Policy = AuthPolicies.ProgrammeStaff)]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ScreeningController(
    Viewer viewer,
    UseCases useCases,
    ChallengeStore challenges,
    ChallengeLifecycleStore store,
    NegativeListStore negativeList,
    AuditLog audit,
    IStringLocalizer<LifecycleText> text) : Controller
{
    private const string MessageKey = "Screening.Message";

    [HttpGet("/screening")]
    public async Task<IActionResult> Queue(CancellationToken cancellationToken) =>
        View(new ScreeningQueuePage(await store.ScreeningQueueAsync(cancellationToken), TempData[MessageKey] as string));

    /// <summary>Walks the whole audit chain now (the twin of `marketplace audit verify`); a break answers 409 with the page.</summary>
    [HttpGet("/screening/audit")]
    public async Task<IActionResult> AuditVerify(CancellationToken cancellationToken)
    {
        var report = await audit.VerifyAsync(cancellationToken);
        if (!report.IsIntact)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
        }

        return View(new AuditVerifyPage(report));
    }

    [HttpGet("/screening/challenges/{id:long}")]
    public async Task<IActionResult> Review(long id, CancellationToken cancellationToken)
    {
        var page = await ReviewPageAsync(id, null, null, cancellationToken);
        return page is null ? NotFound() : View(page with { Message = TempData[MessageKey] as string });
    }

    [HttpPost("/screening/challenges/{id:long}/publish")]
    public async Task<IActionResult> Publish(long id, string? overrideReason, [FromServices] PublishChallenge move, CancellationToken cancellationToken) =>
        await AfterMoveAsync(id, await useCases.RunAsync(move, new ChallengeMove(id, overrideReason), cancellationToken),
            text["Published. The enterprise is notified and vendors can now see the challenge."], overrideReason, null, cancellationToken);

    [HttpPost("/screening/challenges/{id:long}/return")]
    public async Task<IActionResult> Return(long id, string? reason, [FromServices] ReturnChallenge move, CancellationToken cancellationToken) =>
        await AfterMoveAsync(id, await useCases.RunAsync(move, new ChallengeMove(id, reason), cancellationToken),
            text["Returned to the enterprise with your reason."], null, reason, cancellationToken);

    [HttpPost("/screening/challenges/{id:long}/reject")]
    public async Task<IActionResult> Reject(long id, string? reason, [FromServices] RejectChallenge move, CancellationToken cancellationToken) =>
        await AfterMoveAsync(id, await useCases.RunAsync(move, new ChallengeMove(id, reason), cancellationToken),
            text["Rejected. The enterprise is notified with your reason."], null, reason, cancellationToken);

    [HttpGet("/screening/negative-list")]
    public async Task<IActionResult> NegativeList(CancellationToken cancellationToken) =>
        View(new NegativeListPage(await negativeList.AllAsync(activeOnly: false, cancellationToken), new NegativeListForm(), TempData[MessageKey] as string));

    [HttpPost("/screening/negative-list")]
    public async Task<IActionResult> AddEntry([Bind(Prefix = "Form")] NegativeListForm form, CancellationToken cancellationToken)
    {
        var result = await negativeList.AddAsync(viewer.UserId!.Value, form.Phrase, form.LabelZh, form.LabelEn, cancellationToken);
        if (!result.IsSuccess)
        {
            // The negative-list form shows each error beside its field.
            if (this.Show(result.Error!, text, "Form", f => LifecycleDisplay.FormField(f)) is { } refused)
            {
                return refused;
            }

            return View("NegativeList", new NegativeListPage(await negativeList.AllAsync(activeOnly: false, cancellationToken), form, null));
        }

        TempData[MessageKey] = text["The entry is added; it applies to every challenge screened from now on."].Value;
        return Redirect("/screening/negative-list");
    }

    [HttpPost("/screening/negative-list/{id:long}")]
    public async Task<IActionResult> UpdateEntry(long id, NegativeListForm form, CancellationToken cancellationToken)
    {
        // An "active" switch that cannot be read (a tampered value) would bind as false and switch the entry off: refuse it.
        var result = ModelState.IsValid
            ? await negativeList.UpdateAsync(viewer.UserId!.Value, id, form.Phrase, form.LabelZh, form.LabelEn, form.IsActive, cancellationToken)
            : Error.Invalid("isActive", "The entry's active switch could not be read.");
        if (!result.IsSuccess)
        {
            if (result.Error!.Kind == ErrorKind.NotFound)
            {
                return NotFound();
            }

            ModelState.AddModelError("", text["The entry was not changed:"] + " " + string.Join(" ", result.Error.FieldErrors?.Values.SelectMany(m => m).Select(m => text[m].Value) ?? []));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("NegativeList", new NegativeListPage(await negativeList.AllAsync(activeOnly: false, cancellationToken), new NegativeListForm(), null));
        }

        TempData[MessageKey] = text["The entry is saved."].Value;
        return Redirect("/screening/negative-list");
    }

    private async Task<IActionResult> AfterMoveAsync(long id, Result<ChallengeTransition> result, string success, string? overrideReason, string? reason, CancellationToken cancellationToken)
    {
        if (result.IsSuccess)
        {
            TempData[MessageKey] = success;
            return Redirect("/screening");
        }

        // The moves name their fields as the form does ("reason", "overrideReason"): the message goes beside the field.
        if (this.Show(result.Error!, text, fieldName: field => field) is { } refused)
        {
            return refused;
        }

        var page = await ReviewPageAsync(id, overrideReason, reason, cancellationToken);
        return page is null ? NotFound() : View("Review", page);
    }

    private async Task<ScreeningReviewPage?> ReviewPageAsync(long id, string? overrideReason, string? reason, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null)
        {
            return null;
        }

        return new ScreeningReviewPage
        {
            Challenge = challenge,
            Flags = await negativeList.ScreenAsync(challenge, cancellationToken),
            Audit = await audit.ForChallengeAsync(id, cancellationToken),
            Versions = await store.VersionsAsync(id, cancellationToken),
            OverrideReason = overrideReason,
            Reason = reason,
        };
    }
}
