using System.Globalization;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Data.Challenges;
using Marketplace.Web.Features.Challenges;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Drafting;

/// <summary>One acceptance-target row of the form.</summary>
public sealed class TargetRow
{
    public string? Metric { get; set; }
    public string? Threshold { get; set; }
    public string? TestMethod { get; set; }
}

/// <summary>The challenge form. The deadline is typed in the viewer's time zone and converted to UTC on save.</summary>
public sealed class ChallengeForm
{
    public const string DefaultTimeZone = "Asia/Shanghai";
    public const string DeadlineFormat = "yyyy-MM-dd'T'HH:mm";

    public long? Id { get; set; }
    public int? RowVersion { get; set; }
    public string? Status { get; set; }
    public string? Title { get; set; }
    public string? Industry { get; set; }
    public string? Scenario { get; set; }
    public string? CurrentProcess { get; set; }
    public string? DataAvailable { get; set; }
    public string? Constraints { get; set; }
    public List<TargetRow> AcceptanceTargets { get; set; } = [];
    public string? ExpectedOutcome { get; set; }
    public int? TargetTrl { get; set; }
    public decimal? BudgetAmount { get; set; }
    public string? BudgetCurrency { get; set; } = "CNY";
    public string? DeadlineLocal { get; set; }
    public string? TimeZone { get; set; } = DefaultTimeZone;
    public string? Language { get; set; } = "zh";
    public List<string> Tags { get; set; } = [];
    public string? AttachmentLinks { get; set; }
    public string? Visibility { get; set; } = "public";
    public string? ChangeNote { get; set; }

    public bool IsPublished => Status == ChallengeStatus.Published;

    /// <summary>Time zones offered in the form: the programme's own first.</summary>
    public static IReadOnlyList<string> TimeZones { get; } = ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Asia/Tokyo", "Europe/Berlin", "Europe/London", "America/New_York", "UTC"];

    public static ChallengeForm From(ChallengeDetail c) => new()
    {
        Id = c.Id,
        RowVersion = c.RowVersion,
        Status = c.Status,
        Title = c.Title,
        Industry = c.Industry,
        Scenario = c.Scenario,
        CurrentProcess = c.CurrentProcess,
        DataAvailable = c.DataAvailable,
        Constraints = c.Constraints,
        AcceptanceTargets = c.AcceptanceTargets.Select(t => new TargetRow { Metric = t.Metric, Threshold = t.Threshold, TestMethod = t.TestMethod }).ToList(),
        ExpectedOutcome = c.ExpectedOutcome,
        TargetTrl = c.TargetTrl,
        BudgetAmount = c.BudgetAmount,
        BudgetCurrency = c.BudgetCurrency.Trim(),
        DeadlineLocal = TimeZoneInfo.ConvertTime(c.DeadlineAt, TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone)).ToString(DeadlineFormat, CultureInfo.InvariantCulture),
        TimeZone = DefaultTimeZone,
        Language = c.Language,
        Tags = c.Tags.ToList(),
        AttachmentLinks = string.Join("\n", c.AttachmentLinks),
        Visibility = c.Visibility,
    };

    /// <summary>Pads the target rows so the form always offers a few empty ones.</summary>
    public ChallengeForm WithBlankTargets(int minimum = 3)
    {
        while (AcceptanceTargets.Count < minimum || AcceptanceTargets[^1].Metric is { Length: > 0 })
        {
            AcceptanceTargets.Add(new TargetRow());
            if (AcceptanceTargets.Count >= ChallengeDraftRules.MaxTargets)
            {
                break;
            }
        }

        return this;
    }

    /// <summary>A deadline typed as local date and time in a time zone (the form's default zone when none is given); the error says why it could not be read.</summary>
    public static (DateTimeOffset? Deadline, string? Error) ParseDeadline(string? local, string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(local))
        {
            return (null, null);
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(timeZone) ? DefaultTimeZone : timeZone);
        }
        catch (TimeZoneNotFoundException)
        {
            return (null, "Choose a time zone from the list.");
        }

        if (!DateTime.TryParseExact(local.Trim(), [DeadlineFormat, "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return (null, "Enter the deadline as a date and time, e.g. 2026-12-31 18:00.");
        }

        var unspecified = DateTime.SpecifyKind(parsed, DateTimeKind.Unspecified);
        var offset = zone.GetUtcOffset(unspecified);
        // At the ends of the calendar (0001-01-01 00:00 east of UTC) the instant does not exist: a DateTimeOffset would throw.
        var utcTicks = unspecified.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return (null, utcTicks < DateTime.MinValue.Ticks ? "The deadline must be in the future." : "The deadline must be within five years.");
        }

        return (new DateTimeOffset(unspecified, offset), null);
    }

    /// <summary>The draft for the handler; a deadline that cannot be read is reported on <see cref="DeadlineLocal"/>.</summary>
    public (ChallengeDraft Draft, string? DeadlineError) ToDraft()
    {
        var (deadline, error) = ParseDeadline(DeadlineLocal, TimeZone);
        var draft = new ChallengeDraft
        {
            Title = Title,
            Industry = Industry,
            Scenario = Scenario,
            CurrentProcess = CurrentProcess,
            DataAvailable = DataAvailable,
            Constraints = Constraints,
            AcceptanceTargets = AcceptanceTargets.Select(t => new AcceptanceTargetInput { Metric = t.Metric, Threshold = t.Threshold, TestMethod = t.TestMethod }).ToList(),
            ExpectedOutcome = ExpectedOutcome,
            TargetTrl = TargetTrl,
            BudgetAmount = BudgetAmount,
            BudgetCurrency = BudgetCurrency,
            DeadlineAt = deadline,
            Language = Language,
            Tags = Tags,
            AttachmentLinks = (AttachmentLinks ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Visibility = Visibility,
        };
        return (draft, error);
    }
}

public sealed record MyChallengesPage(IReadOnlyList<ChallengeWorkItem> Items, string? Message);

/// <summary>The enterprise's own challenges: list, write and edit drafts, submit for screening, withdraw.</summary>
[Authorize(Policy = AuthPolicies.Enterprise)]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class DraftingController(Viewer viewer, UseCases useCases, ChallengeStore challenges, IStringLocalizer<LifecycleText> text, TimeProvider clock) : Controller
{
    private const string MessageKey = "Drafting.Message";

    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal) { ["deadlineAt"] = nameof(ChallengeForm.DeadlineLocal) };

    [HttpGet("/my/challenges")]
    public async Task<IActionResult> Mine([FromServices] ChallengeLifecycleStore store, CancellationToken cancellationToken)
    {
        var items = await store.ForEnterprisesAsync(await viewer.OrganisationIdsAsync(cancellationToken), cancellationToken);
        return View(new MyChallengesPage(items, TempData[MessageKey] as string));
    }

    [HttpGet("/my/challenges/new")]
    public IActionResult New() => View("Edit", new ChallengeForm().WithBlankTargets());

    [HttpPost("/my/challenges/new")]
    public async Task<IActionResult> New(ChallengeForm form, [FromServices] CreateChallengeDraft createDraft, CancellationToken cancellationToken)
    {
        form.Id = null;
        var (draft, deadlineError) = form.ToDraft();
        if (deadlineError is not null || !ModelState.IsValid)
        {
            return Invalid(form, draft, deadlineError);
        }

        var result = await useCases.RunAsync(createDraft, new CreateDraftRequest(draft, null), cancellationToken);
        if (!result.IsSuccess)
        {
            return Refused(form, result.Error!);
        }

        TempData[MessageKey] = text["The draft is saved. Only your organisation can see it until you submit it for screening."].Value;
        return Redirect("/my/challenges");
    }

    [HttpGet("/my/challenges/{id:long}/edit")]
    public async Task<IActionResult> Edit(long id, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null || !await viewer.MaySeeAsync(challenge, cancellationToken))
        {
            return NotFound();
        }

        if (!await viewer.OwnsAsync(challenge.EnterpriseId, cancellationToken))
        {
            return Forbid();
        }

        var form = ChallengeForm.From(challenge).WithBlankTargets();
        var mayEdit = ChallengeWorkflow.MayEdit(challenge.Status, challenge.DeadlineAt, clock.GetUtcNow());
        if (!mayEdit.IsSuccess)
        {
            ModelState.AddModelError("", text[mayEdit.Error!.Message]);
        }

        return View(form);
    }

    [HttpPost("/my/challenges/{id:long}/edit")]
    public async Task<IActionResult> Edit(long id, ChallengeForm form, [FromServices] UpdateChallenge updateChallenge, CancellationToken cancellationToken)
    {
        form.Id = id;
        var (draft, deadlineError) = form.ToDraft();
        if (deadlineError is not null || !ModelState.IsValid)
        {
            return Invalid(form, draft, deadlineError);
        }

        var result = await useCases.RunAsync(updateChallenge, new UpdateChallengeRequest(id, form.RowVersion, draft, form.ChangeNote), cancellationToken);
        if (!result.IsSuccess)
        {
            return Refused(form, result.Error!);
        }

        TempData[MessageKey] = result.Value!.PublishedVersion is { } version
            ? text["Version {0} is published. Vendors following the challenge are notified.", version].Value
            : text["Your changes are saved."].Value;
        return Redirect("/my/challenges");
    }

    [HttpPost("/my/challenges/{id:long}/submit")]
    public async Task<IActionResult> Submit(long id, int? rowVersion, [FromServices] SubmitChallenge move, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(move, new ChallengeMove(id, ExpectedRowVersion: rowVersion), cancellationToken);
        return await AfterMoveAsync(result, text["Submitted. The programme office will screen the challenge and tell you the outcome."], cancellationToken);
    }

    [HttpPost("/my/challenges/{id:long}/withdraw")]
    public async Task<IActionResult> Withdraw(long id, string? reason, [FromServices] WithdrawChallenge move, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(move, new ChallengeMove(id, reason), cancellationToken);
        return await AfterMoveAsync(result, text["The challenge is withdrawn."], cancellationToken);
    }

    /// <summary>Opens a challenge that ended without proposals again, with the new deadline typed on the list.</summary>
    [HttpPost("/my/challenges/{id:long}/reopen")]
    public async Task<IActionResult> Reopen(long id, string? deadlineLocal, string? timeZone, [FromServices] ReopenChallenge reopen, CancellationToken cancellationToken)
    {
        var (deadline, deadlineError) = ChallengeForm.ParseDeadline(deadlineLocal, timeZone);
        var result = deadlineError is null
            ? await useCases.RunAsync(reopen, new ReopenChallengeRequest(id, deadline), cancellationToken)
            : Error.Invalid("deadlineAt", deadlineError);
        return await AfterMoveAsync(result, text["The challenge is open for proposals again until {0}.", deadline is { } d ? Display.DateTime(d) : ""], cancellationToken);
    }

    private async Task<IActionResult> AfterMoveAsync(Result<ChallengeTransition> result, string success, CancellationToken cancellationToken)
    {
        if (result.IsSuccess)
        {
            TempData[MessageKey] = success;
            return Redirect("/my/challenges");
        }

        // Refused moves are shown on the list, which is re-rendered with the reason (and a 409 or 400 status).
        if (this.Show(result.Error!, text) is { } page)
        {
            return page;
        }

        var items = await HttpContext.RequestServices.GetRequiredService<ChallengeLifecycleStore>()
            .ForEnterprisesAsync(await viewer.OrganisationIdsAsync(cancellationToken), cancellationToken);
        return View("Mine", new MyChallengesPage(items, null));
    }

    /// <summary>Bad input: every field's message at once (binding errors, the deadline, and the use case's rules), nothing saved.</summary>
    private ViewResult Invalid(ChallengeForm form, ChallengeDraft draft, string? deadlineError)
    {
        if (deadlineError is not null)
        {
            ModelState.AddModelError(nameof(ChallengeForm.DeadlineLocal), text[deadlineError]);
        }

        var rules = ChallengeDraftRules.Validate(draft, clock.GetUtcNow());
        if (!rules.IsSuccess)
        {
            // The deadline's own message (it could not be read) stands; the rules' one would only repeat it.
            var others = rules.Error!.FieldErrors!.Where(f => deadlineError is null || f.Key != "deadlineAt").ToDictionary();
            if (others.Count > 0)
            {
                this.Show(Error.Invalid(others), text, fieldName: FormField);
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Edit", form.WithBlankTargets());
    }

    private IActionResult Refused(ChallengeForm form, Error error) =>
        this.Show(error, text, fieldName: FormField) ?? View("Edit", form.WithBlankTargets());

    private static string FormField(string field) => LifecycleDisplay.FormField(field, FieldNames);
}
