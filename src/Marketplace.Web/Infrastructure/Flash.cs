using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// A short result message carried across the redirect after a POST and shown once by the layout, as a status
/// (role="status", read out by screen readers), for actions whose page has no message area of its own.
/// </summary>
public static class Flash
{
    public const string Key = "Flash";

    public static void ShowFlash(this Controller controller, string message) => controller.TempData[Key] = message;
}
