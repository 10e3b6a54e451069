using Marketplace.Core.Common;
using Marketplace.Core.Features.Email;
using Marketplace.Data.Email;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Email;

public sealed record OutboxPage(OutboxOverview Overview, string? Message);

/// <summary>The e-mail outbox for administrators: counts per status, the dead letters with their last error, and Retry.</summary>
[Authorize(Policy = AuthPolicies.Admin)]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class EmailAdminController(UseCases useCases, EmailOutboxStore outbox, IStringLocalizer<EmailText> text) : Controller
{
    public const int DeadLettersShown = 200;
    private const string MessageKey = "EmailAdminMessage";

    [HttpGet("/admin/email")]
    public async Task<IActionResult> Outbox(CancellationToken cancellationToken) =>
        View("/Features/Email/Outbox.cshtml", new OutboxPage(await outbox.OverviewAsync(DeadLettersShown, cancellationToken), TempData[MessageKey] as string));

    [HttpPost("/admin/email/{id:long}/retry")]
    public async Task<IActionResult> Retry(long id, [FromServices] RetryDeadLetter retry, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(retry, id, cancellationToken);
        if (result.IsSuccess)
        {
            TempData[MessageKey] = text["Message {0} is pending again; the dispatcher sends it on its next run.", id].Value;
            return Redirect("/admin/email");
        }

        if (this.Show(result.Error!, text) is { } refused)
        {
            return refused;
        }

        return View("/Features/Email/Outbox.cshtml", new OutboxPage(await outbox.OverviewAsync(DeadLettersShown, cancellationToken), null));
    }
}

/// <summary>The e-mail outbox in the JSON API, for administrators only (401 without a token, 403 for other roles).</summary>
[ApiController]
[Authorize(Policy = AuthPolicies.Admin)]
[Route("api/v1/admin/email")]
[Tags("E-mail")]
public sealed class EmailApiController(UseCases useCases, EmailOutboxStore outbox) : ControllerBase
{
    /// <summary>Counts per status and the dead letters (newest first, at most 200) with their last error.</summary>
    [HttpGet]
    [ProducesResponseType<OutboxOverview>(StatusCodes.Status200OK)]
    public async Task<ActionResult<OutboxOverview>> Overview(CancellationToken cancellationToken) =>
        await outbox.OverviewAsync(EmailAdminController.DeadLettersShown, cancellationToken);

    /// <summary>Puts a dead letter back to pending with its attempts reset (404: no such message; 409: not a dead letter).</summary>
    [HttpPost("{id:long}/retry")]
    [ProducesResponseType<RetryResult>(StatusCodes.Status200OK)]
    public async Task<ActionResult<RetryResult>> Retry(long id, [FromServices] RetryDeadLetter retry, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(retry, id, cancellationToken);
        return result.IsSuccess ? new RetryResult(id, EmailStatus.Pending) : this.ToProblem(result.Error!);
    }
}

public sealed record RetryResult(long Id, string Status);
