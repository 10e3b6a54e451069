using Marketplace.Core.Common;
using Marketplace.Core.Delivery;
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
/// overview) and its forms. A project is shown only to its two parties and programme officers: 404 for anyone else.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
[Authorize]
public sealed class DeliveryController(DeliveryStore store, Viewer viewer, TimeProvider clock, IStringLocalizer<DeliveryText> text) : Controller
{
    private const string MessageKey = "Delivery.Message";

    [HttpGet("/delivery")]
    public async Task<IActionResult> Index(long? challenge, CancellationToken cancellationToken)
    {
        var reader = DeliveryViewer.Of((await viewer.ActorAsync(cancellationToken))!, clock.GetUtcNow());
        return View(new ProjectListPage(await store.ListAsync(reader, challenge, cancellationToken), reader.IsOfficer));
    }

    [HttpGet("/delivery/projects/{id:long}")]
    public async Task<IActionResult> Project(long id, CancellationToken cancellationToken) =>
        await PageAsync(id, StatusCodes.Status200OK, null, cancellationToken) ?? NotFound();

    [HttpPost("/challenges/{id:long}/delivery/start")]
    public async Task<IActionResult> Start(long id, string? note, [FromServices] StartDeliveryHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, note, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!.Kind switch
            {
                ErrorKind.NotFound => NotFound(),
                ErrorKind.Forbidden => Forbid(),
                _ => Notice(result.Error),
            };
        }

        TempData[MessageKey] = text["Delivery started. Each winning vendor now has a project with its milestones."].Value;
        return result.Value!.ProjectIds.Count == 1 ? Redirect($"/delivery/projects/{result.Value.ProjectIds[0]}") : Redirect($"/delivery?challenge={id}");
    }

    [HttpPost("/delivery/milestones/{id:long}/evidence")]
    public async Task<IActionResult> Evidence(long id, string? body, string? links, [FromServices] SubmitEvidenceHandler handler, CancellationToken cancellationToken)
    {
        var linkList = (links ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, body, linkList, cancellationToken);
        return await AfterMilestoneAsync(id, $"evidence-{id}", result.IsSuccess ? null : result.Error, text["Evidence submitted. The enterprise has been asked to sign it off."], cancellationToken);
    }

    [HttpPost("/delivery/milestones/{id:long}/accept")]
    public async Task<IActionResult> Accept(long id, string? note, int[]? targetsMet, [FromServices] DecideMilestoneHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.AcceptAsync((await viewer.ActorAsync(cancellationToken))!, id, note, targetsMet ?? [], cancellationToken);
        var message = result is { IsSuccess: true, Value.ProjectCompleted: true }
            ? text["Milestone accepted. Every milestone is accepted: the project is completed."]
            : text["Milestone accepted; its payment share is recorded as released."];
        return await AfterMilestoneAsync(id, $"decide-{id}", result.IsSuccess ? null : result.Error, message, cancellationToken);
    }

    [HttpPost("/delivery/milestones/{id:long}/reject")]
    public async Task<IActionResult> Reject(long id, string? reason, [FromServices] DecideMilestoneHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.RejectAsync((await viewer.ActorAsync(cancellationToken))!, id, reason, cancellationToken);
        return await AfterMilestoneAsync(id, $"decide-{id}", result.IsSuccess ? null : result.Error, text["Evidence rejected. The vendor has been told why."], cancellationToken);
    }

    [HttpPost("/delivery/projects/{id:long}/adjustments")]
    public async Task<IActionResult> RequestAdjustment(long id, string? reason, List<MilestoneChangeForm>? changes, [FromServices] RequestAdjustmentHandler handler, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await PageAsync(id, StatusCodes.Status400BadRequest, "adjustment", cancellationToken) ?? NotFound();
        }

        var requested = (changes ?? []).Select(c => new MilestoneChange { MilestoneId = c.MilestoneId, NewDueOn = c.NewDueOn, NewDeliverable = c.NewDeliverable }).ToList();
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, requested, reason, cancellationToken);
        return await AfterAsync(id, "adjustment", result.IsSuccess ? null : result.Error, text["Stage adjustment requested. The programme office decides it."], cancellationToken);
    }

    [HttpPost("/delivery/adjustments/{id:long}/decide")]
    public async Task<IActionResult> DecideAdjustment(long id, long projectId, string? decision, string? note, [FromServices] DecideAdjustmentHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, decision == "approve", note, cancellationToken);
        var message = decision == "approve" ? text["Stage adjustment approved; the new plan applies."] : text["Stage adjustment declined."];
        return await AfterAsync(projectId, "decide-adjustment", result.IsSuccess ? null : result.Error, message, cancellationToken);
    }

    [HttpPost("/delivery/projects/{id:long}/failure")]
    public async Task<IActionResult> FileFailure(long id, string? category, string? cause, string? lessons, [FromServices] FileFailureHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, category, cause, lessons, cancellationToken);
        return await AfterAsync(id, "failure", result.IsSuccess ? null : result.Error, text["Failure filed. The project is closed without penalty."], cancellationToken);
    }

    [HttpPost("/delivery/projects/{id:long}/consent")]
    public async Task<IActionResult> Consent(long id, string? decision, bool nameClient, [FromServices] PortfolioConsentHandler handler, CancellationToken cancellationToken)
    {
        var grant = decision == "grant";
        var result = await handler.HandleAsync((await viewer.ActorAsync(cancellationToken))!, id, grant, nameClient, cancellationToken);
        var message = grant ? text["Thank you. The project is now a portfolio case of the vendor."] : text["Your answer is recorded: the project will not be published."];
        return await AfterAsync(id, "consent", result.IsSuccess ? null : result.Error, message, cancellationToken);
    }

    private async Task<IActionResult> AfterMilestoneAsync(long milestoneId, string form, Error? error, string message, CancellationToken cancellationToken)
    {
        var projectId = await store.ProjectOfMilestoneAsync(milestoneId, cancellationToken);
        return projectId is null ? NotFound() : await AfterAsync(projectId.Value, form, error, message, cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(long projectId, string form, Error? error, string message, CancellationToken cancellationToken)
    {
        if (error is null)
        {
            TempData[MessageKey] = message;
            return Redirect($"/delivery/projects/{projectId}");
        }

        switch (error.Kind)
        {
            case ErrorKind.NotFound:
                return NotFound();
            case ErrorKind.Forbidden:
                return Forbid();
        }

        foreach (var (field, messages) in error.FieldErrors ?? new Dictionary<string, string[]> { [""] = [error.Message] })
        {
            foreach (var m in messages)
            {
                ModelState.AddModelError(field, text[m]);
            }
        }

        var status = error.Kind == ErrorKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return await PageAsync(projectId, status, form, cancellationToken) ?? NotFound();
    }

    private async Task<IActionResult?> PageAsync(long id, int status, string? failedForm, CancellationToken cancellationToken)
    {
        var actor = await viewer.ActorAsync(cancellationToken);
        var state = await store.LoadProjectAsync(id, cancellationToken);
        if (!DeliveryAccess.MaySee(state, actor))
        {
            return null;
        }

        var project = await store.FindAsync(id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken);
        Response.StatusCode = status;
        return View("Project", new ProjectPage
        {
            Project = project!,
            IsVendor = DeliveryAccess.IsVendorParty(state!, actor!),
            IsEnterprise = DeliveryAccess.IsEnterpriseParty(state!, actor!),
            IsOfficer = DeliveryAccess.IsOfficer(actor!),
            Message = failedForm is null ? TempData[MessageKey] as string : null,
            FailedForm = failedForm,
        });
    }

    private ViewResult Notice(Error error)
    {
        Response.StatusCode = error.Kind == ErrorKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return View("Notice", text[error.Message].Value);
    }
}
