using Marketplace.Core.Common;
using Marketplace.Core.Delivery;
using Marketplace.Core.Features.Delivery;
using Marketplace.Data.Delivery;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Delivery;

/// <summary>Resource anchor for the delivery pages and their messages (DeliveryText.zh-CN.resx). Keys are the English text.</summary>
public sealed class DeliveryText;

/// <summary>The project page, with every form the parties and officers act through.</summary>
public sealed record ProjectPage
{
    public ProjectView Project { get; init; } = new();
    public bool IsVendor { get; init; }
    public bool IsEnterprise { get; init; }
    public bool IsOfficer { get; init; }
    public string? Message { get; init; }

    /// <summary>Which form failed (so its section shows the error), or null.</summary>
    public string? FailedForm { get; init; }

    public bool MayRequestAdjustment => (IsVendor || IsEnterprise) && Project.Summary.Status == ProjectStatus.Active && Project.OpenAdjustment is null;
}

public sealed record ProjectListPage(IReadOnlyList<ProjectSummary> Projects, bool IsOfficer);

public sealed class MilestoneChangeForm
{
    public long MilestoneId { get; set; }
    public DateOnly? NewDueOn { get; set; }
    public string? NewDeliverable { get; set; }
}

/// <summary>
/// Delivery pages: the project page (reachable from the challenge, "My projects", "My challenges" and the officers'
/// overview) and its forms. A project is shown only to its two parties and programme officers (<see cref="ProjectPolicy"/>):
/// 404 for anyone else. Each form runs its use case and shows the project again, with the error beside the form that failed.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
[Authorize]
public sealed class DeliveryController(DeliveryStore store, Viewer viewer, UseCases useCases, TimeProvider clock, IStringLocalizer<DeliveryText> text) : Controller
{
    private const string MessageKey = "Delivery.Message";

    [HttpGet("/delivery")]
    public async Task<IActionResult> Index(long? challenge, CancellationToken cancellationToken)
    {
        var actor = await viewer.ActorAsync(cancellationToken);
        return View(new ProjectListPage(await store.ListAsync(ProjectPolicy.ScopeOf(actor), Today, challenge, cancellationToken), ProjectPolicy.IsOfficer(actor)));
    }

    [HttpGet("/delivery/projects/{id:long}")]
    public async Task<IActionResult> Project(long id, CancellationToken cancellationToken) =>
        await PageAsync(id, null, cancellationToken) ?? NotFound();

    [HttpPost("/challenges/{id:long}/delivery/start")]
    public async Task<IActionResult> Start(long id, string? note, [FromServices] StartDelivery startDelivery, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(startDelivery, new StartDeliveryRequest(id, note), cancellationToken);
        if (!result.IsSuccess)
        {
            return this.Show(result.Error!, text) ?? View("Notice", text[result.Error!.Message].Value);
        }

        TempData[MessageKey] = text["Delivery started. Each winning vendor now has a project with its milestones."].Value;
        return result.Value!.ProjectIds.Count == 1 ? Redirect($"/delivery/projects/{result.Value.ProjectIds[0]}") : Redirect($"/delivery?challenge={id}");
    }

    [HttpPost("/delivery/milestones/{id:long}/evidence")]
    public async Task<IActionResult> Evidence(long id, string? body, string? links, [FromServices] SubmitEvidence submitEvidence, CancellationToken cancellationToken)
    {
        var linkList = (links ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = await useCases.RunAsync(submitEvidence, new SubmitEvidenceRequest(id, body, linkList), cancellationToken);
        return await AfterMilestoneAsync(id, $"evidence-{id}", result.Error, text["Evidence submitted. The enterprise has been asked to sign it off."], cancellationToken);
    }

    [HttpPost("/delivery/milestones/{id:long}/accept")]
    public async Task<IActionResult> Accept(long id, string? note, int[]? targetsMet, [FromServices] DecideMilestone decide, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // A target that is not a whole number would be dropped by the binder and the rest accepted: refuse instead.
            return await RefusedAsync(await store.ProjectOfMilestoneAsync(id, cancellationToken), $"decide-{id}", cancellationToken);
        }

        var result = await useCases.RunAsync(decide, DecideMilestoneRequest.Accepting(id, note, targetsMet), cancellationToken);
        var message = result is { IsSuccess: true, Value.ProjectCompleted: true }
            ? text["Milestone accepted. Every milestone is accepted: the project is completed."]
            : text["Milestone accepted; its payment share is recorded as released."];
        return await AfterMilestoneAsync(id, $"decide-{id}", result.Error, message, cancellationToken);
    }

    [HttpPost("/delivery/milestones/{id:long}/reject")]
    public async Task<IActionResult> Reject(long id, string? reason, [FromServices] DecideMilestone decide, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(decide, DecideMilestoneRequest.Rejecting(id, reason), cancellationToken);
        return await AfterMilestoneAsync(id, $"decide-{id}", result.Error, text["Evidence rejected. The vendor has been told why."], cancellationToken);
    }

    [HttpPost("/delivery/projects/{id:long}/adjustments")]
    public async Task<IActionResult> RequestAdjustment(long id, string? reason, List<MilestoneChangeForm>? changes, [FromServices] RequestAdjustment requestAdjustment,
        CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await PageAsync(id, "adjustment", cancellationToken) ?? NotFound();
        }

        var requested = (changes ?? []).Select(c => new MilestoneChange { MilestoneId = c.MilestoneId, NewDueOn = c.NewDueOn, NewDeliverable = c.NewDeliverable }).ToList();
        var result = await useCases.RunAsync(requestAdjustment, new RequestAdjustmentRequest(id, requested, reason), cancellationToken);
        return await AfterAsync(id, "adjustment", result.Error, text["Stage adjustment requested. The programme office decides it."], cancellationToken);
    }

    [HttpPost("/delivery/adjustments/{id:long}/decide")]
    public async Task<IActionResult> DecideAdjustment(long id, long projectId, string? decision, string? note, [FromServices] DecideAdjustment decide, CancellationToken cancellationToken)
    {
        // The hidden project id is where the page returns to: it must be the adjustment's own project. The decision is
        // one of the form's two buttons; anything else would otherwise be read as a decline.
        if (!ModelState.IsValid || await store.ProjectOfAdjustmentAsync(id, cancellationToken) != projectId)
        {
            return NotFound();
        }

        if (decision is not ("approve" or "decline"))
        {
            return await RefusedAsync(projectId, "decide-adjustment", cancellationToken);
        }

        var result = await useCases.RunAsync(decide, new DecideAdjustmentRequest(id, decision == "approve", note), cancellationToken);
        var message = decision == "approve" ? text["Stage adjustment approved; the new plan applies."] : text["Stage adjustment declined."];
        return await AfterAsync(projectId, "decide-adjustment", result.Error, message, cancellationToken);
    }

    [HttpPost("/delivery/projects/{id:long}/failure")]
    public async Task<IActionResult> FileFailure(long id, string? category, string? cause, string? lessons, [FromServices] FileFailure fileFailure, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(fileFailure, new FileFailureRequest(id, category, cause, lessons), cancellationToken);
        return await AfterAsync(id, "failure", result.Error, text["Failure filed. The project is closed without penalty."], cancellationToken);
    }

    [HttpPost("/delivery/projects/{id:long}/consent")]
    public async Task<IActionResult> Consent(long id, string? decision, bool nameClient, [FromServices] RecordPortfolioConsent recordConsent, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // The client is named only by its checkbox: a value it never sends is refused, not guessed.
            return await RefusedAsync(id, "consent", cancellationToken);
        }

        // Only the form's two buttons decide; anything else reaches the use case as "no answer", which refuses it after
        // checking who is asking (a missing decision must never be recorded as a decline: that cannot be changed).
        bool? grant = decision switch { "grant" => true, "decline" => false, _ => null };
        var result = await useCases.RunAsync(recordConsent, new PortfolioConsentRequest(id, grant, nameClient), cancellationToken);
        var message = grant == true ? text["Thank you. The project is now a portfolio case of the vendor."] : text["Your answer is recorded: the project will not be published."];
        return await AfterAsync(id, "consent", result.Error, message, cancellationToken);
    }

    /// <summary>A form posted with a value it never offers: the project again, 400, with the binder's message or the buttons' reminder.</summary>
    private async Task<IActionResult> RefusedAsync(long? projectId, string form, CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            ModelState.AddModelError("", text["Use one of the form's buttons."]);
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return projectId is { } id ? await PageAsync(id, form, cancellationToken) ?? NotFound() : NotFound();
    }

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private async Task<IActionResult> AfterMilestoneAsync(long milestoneId, string form, Error? error, string message, CancellationToken cancellationToken)
    {
        var projectId = await store.ProjectOfMilestoneAsync(milestoneId, cancellationToken);
        return projectId is null ? NotFound() : await AfterAsync(projectId.Value, form, error, message, cancellationToken);
    }

    /// <summary>Back to the project: with the message after a success; with the error (<see cref="PageErrors.Show"/>) beside the failed form otherwise.</summary>
    private async Task<IActionResult> AfterAsync(long projectId, string form, Error? error, string message, CancellationToken cancellationToken)
    {
        if (error is null)
        {
            TempData[MessageKey] = message;
            return Redirect($"/delivery/projects/{projectId}");
        }

        return this.Show(error, text) ?? await PageAsync(projectId, form, cancellationToken) ?? NotFound();
    }

    private async Task<IActionResult?> PageAsync(long id, string? failedForm, CancellationToken cancellationToken)
    {
        var actor = await viewer.ActorAsync(cancellationToken);
        var project = await store.FindAsync(ProjectPolicy.ScopeOf(actor), id, Today, cancellationToken);
        if (project is null)
        {
            return null;
        }

        return View("Project", new ProjectPage
        {
            Project = project,
            IsVendor = ProjectPolicy.IsVendorParty(actor, project.Summary),
            IsEnterprise = ProjectPolicy.IsEnterpriseParty(actor, project.Summary),
            IsOfficer = ProjectPolicy.IsOfficer(actor),
            Message = failedForm is null ? TempData[MessageKey] as string : null,
            FailedForm = failedForm,
        });
    }
}
