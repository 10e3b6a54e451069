using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Shared;

public sealed record ErrorPageModel(int StatusCode, string Title, string Message);

/// <summary>Friendly pages for error status codes on the HTML side (the API answers with problem details).</summary>
[AllowAnonymous]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorController(IStringLocalizer<SharedText> text) : Controller
{
    /// <summary>
    /// Re-executed with the failed request's method and body (a page POST included), so it binds nothing and checks no
    /// antiforgery token: a body the framework cannot read (a NUL in a form, a bad token) must still get this page.
    /// </summary>
    [Route("/error/{statusCode:int}")]
    [IgnoreAntiforgeryToken]
    public IActionResult Show()
    {
        var statusCode = int.Parse((string)RouteData.Values["statusCode"]!, System.Globalization.CultureInfo.InvariantCulture);
        var (title, message) = statusCode switch
        {
            404 => (text["Page not found"], text["There is nothing at this address. It may have been moved, or it is not visible to you."]),
            401 => (text["Sign in required"], text["Sign in with an account that has access to this page."]),
            403 => (text["Not allowed"], text["Your account does not have access to this page."]),
            400 => (text["Bad request"], text["The request could not be understood."]),
            429 => (text["Too many requests"], text["Too many requests from your network in a short time. Wait a moment (the Retry-After header says how long) and try again."]),
            _ => (text["Something went wrong"], text["The error has been logged. Please try again in a moment."]),
        };
        Response.StatusCode = statusCode;
        return View("Error", new ErrorPageModel(statusCode, title, message));
    }
}
