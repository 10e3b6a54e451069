using Marketplace.Core.Features.Email;
using Marketplace.Data.Email;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Email;

/// <summary>Resource anchor for the e-mail pages (EmailText.zh-CN.resx). Keys are the English text.</summary>
public sealed class EmailText;

/// <summary>One kind on the preferences page, labelled in the reader's language.</summary>
public sealed record EmailKindChoice(string Kind, string Label, bool On);

public sealed record EmailPreferencesPage(string Address, string Mode, bool AllEmail, IReadOnlyList<EmailKindChoice> Kinds, string? Message);

public sealed record UnsubscribePage(string Token, bool Done);

/// <summary>
/// The signed-in user's e-mail settings (each kind on or off, single mails or a daily digest, all e-mail off), and
/// the one-click unsubscribe that works without signing in: GET shows a confirmation, POST unsubscribes. Mail clients
/// that honour List-Unsubscribe-Post (RFC 8058) POST to the same address without a page, so that POST takes no
/// antiforgery token: the unguessable token in the address is the credential, and all it can do is stop mail.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class EmailController(UseCases useCases, Viewer viewer, EmailPreferenceStore store, IStringLocalizer<EmailText> text) : Controller
{
    private const string MessageKey = "EmailMessage";

    [Authorize]
    [HttpGet("/email/preferences")]
    public async Task<IActionResult> Preferences(CancellationToken cancellationToken) =>
        await store.ViewAsync(viewer.UserId!.Value, cancellationToken) is { } view
            ? View("Preferences", PageOf(view.Address, view.Preferences, TempData[MessageKey] as string))
            : NotFound();

    [Authorize]
    [HttpPost("/email/preferences")]
    public async Task<IActionResult> Preferences(string? mode, List<string>? kinds, bool allEmail, [FromServices] SaveEmailPreferences save, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            // The switch posted as anything but "true"/"false" (a tampered form) binds as off: refuse it rather than save that.
            ModelState.Clear();
            ModelState.AddModelError("allEmail", text["Choose whether to send e-mail: the switch is either on or off."]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await FormAgainAsync();
        }

        var result = await useCases.RunAsync(save, new EmailPreferenceChange(mode ?? "", kinds ?? [], allEmail), cancellationToken);
        if (result.IsSuccess)
        {
            TempData[MessageKey] = text["Your e-mail settings are saved."].Value;
            return Redirect("/email/preferences");
        }

        if (this.Show(result.Error!, text) is { } refused)
        {
            return refused;
        }

        return await FormAgainAsync();

        async Task<IActionResult> FormAgainAsync()
        {
            var view = await store.ViewAsync(viewer.UserId!.Value, cancellationToken);
            return View("Preferences", PageOf(view?.Address ?? "", view?.Preferences ?? EmailPreferences.Default, null));
        }
    }

    [AllowAnonymous]
    [HttpGet("/email/unsubscribe/{token}")]
    public async Task<IActionResult> Unsubscribe(string token, CancellationToken cancellationToken)
    {
        var (known, unsubscribed) = await store.TokenStateAsync(token, cancellationToken);
        return known ? View("Unsubscribe", new UnsubscribePage(token, unsubscribed)) : NotFound();
    }

    [AllowAnonymous]
    [IgnoreAntiforgeryToken(Order = 1001)]
    [HttpPost("/email/unsubscribe/{token}")]
    public async Task<IActionResult> UnsubscribeConfirmed(string token, [FromServices] Unsubscribe unsubscribe, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(unsubscribe, token, cancellationToken);
        return result.IsSuccess ? View("Unsubscribe", new UnsubscribePage(token, Done: true)) : this.Show(result.Error!, text) ?? NotFound();
    }

    private static EmailPreferencesPage PageOf(string address, EmailPreferences preferences, string? message)
    {
        var language = System.Globalization.CultureInfo.CurrentUICulture.Name;
        return new EmailPreferencesPage(address, preferences.Mode, !preferences.Unsubscribed,
            EmailKinds.Notifiable.Select(k => new EmailKindChoice(k, EmailKinds.Label(k, language), !preferences.KindsOff.Contains(k))).ToList(), message);
    }
}
