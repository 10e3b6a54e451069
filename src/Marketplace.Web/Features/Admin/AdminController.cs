using Marketplace.Core.Common;
using Marketplace.Data.Accounts;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Admin;

public sealed record UserListPage(Paged<UserSummary> Users, DateTimeOffset Now);

/// <summary>Administration: for administrators only (others get 403, signed-out visitors the sign-in page).</summary>
[Authorize(Policy = AuthPolicies.Admin)]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class AdminController(UserDirectory directory, TimeProvider clock) : Controller
{
    public const int PageSize = 50;

    [HttpGet("/admin/users")]
    public async Task<IActionResult> Users(int? page, CancellationToken cancellationToken)
    {
        var request = PageRequest.Create(page, PageSize, PageSize);
        if (!request.IsSuccess)
        {
            return BadRequest();
        }

        return View(new UserListPage(await directory.ListAsync(request.Value, cancellationToken), clock.GetUtcNow()));
    }
}
