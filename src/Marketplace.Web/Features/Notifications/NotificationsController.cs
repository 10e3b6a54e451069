using Marketplace.Core.Common;
using Marketplace.Core.Notifications;
using Marketplace.Data.Notifications;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Notifications;

public sealed record NotificationsPage(Paged<NotificationItem> Items, int Unread);

/// <summary>The signed-in user's in-app notifications: list and mark as read.</summary>
[Authorize]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class NotificationsController(Viewer viewer, NotificationStore notifications, TimeProvider clock) : Controller
{
    [HttpGet("/notifications")]
    public async Task<IActionResult> Index(int? page, CancellationToken cancellationToken)
    {
        var request = PageRequest.Create(page, 20);
        if (!request.IsSuccess)
        {
            return BadRequest();
        }

        var userId = viewer.UserId!.Value;
        return View(new NotificationsPage(await notifications.ForUserAsync(userId, request.Value, cancellationToken), await notifications.UnreadCountAsync(userId, cancellationToken)));
    }

    /// <summary>Marks it read and opens the page where it is acted on (NotificationLinks: always a local path).</summary>
    [HttpPost("/notifications/{id:long}/read")]
    public async Task<IActionResult> Read(long id, long? challengeId, string? kind, CancellationToken cancellationToken)
    {
        if (!await notifications.MarkReadAsync(viewer.UserId!.Value, id, clock.GetUtcNow(), cancellationToken))
        {
            return NotFound();
        }

        return LocalRedirect(NotificationLinks.PathFor(kind ?? "", challengeId));
    }

    [HttpPost("/notifications/read-all")]
    public async Task<IActionResult> ReadAll(CancellationToken cancellationToken)
    {
        await notifications.MarkAllReadAsync(viewer.UserId!.Value, clock.GetUtcNow(), cancellationToken);
        return Redirect("/notifications");
    }
}

/// <summary>
/// The layout's lifecycle links for the signed-in user's roles (My challenges, Screening) and the notification bell
/// with the unread count. The layout renders it with one line: @await Component.InvokeAsync("LifecycleNav").
/// </summary>
public sealed class LifecycleNavViewComponent(Viewer viewer, NotificationStore notifications) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (viewer.UserId is not { } userId)
        {
            return Content("");
        }

        int unread;
        try
        {
            unread = await notifications.UnreadCountAsync(userId, HttpContext.RequestAborted);
        }
        catch (System.Data.Common.DbException)
        {
            // The error page renders this layout too: during a database outage it must still render.
            unread = 0;
        }

        return View("/Features/Notifications/LifecycleNav.cshtml", new LifecycleNavModel(
            viewer.IsInRole(Core.Accounts.Roles.Enterprise), viewer.IsProgrammeStaff, unread));
    }
}

public sealed record LifecycleNavModel(bool IsEnterprise, bool IsStaff, int Unread);
