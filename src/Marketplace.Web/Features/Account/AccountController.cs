using System.Globalization;
using Marketplace.Core.Accounts;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Accounts;
using Marketplace.Data.Accounts;
using Marketplace.Data.Email;
using Marketplace.Data.Organisations;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Account;

/// <summary>Register, sign in and out, the organisation's members and invitations (cookie sign-in; see AccountApi for tokens).</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class AccountController(
    SignInManager<AppUser> signIn,
    UserManager<AppUser> users,
    UserDirectory directory,
    UseCases useCases,
    IStringLocalizer<AccountText> text,
    PasswordSignIn passwordSignIn,
    SignInThrottleSettings throttleSettings,
    TimeProvider clock) : Controller
{
    private const string WelcomeKey = "Account.Welcome";
    private const string InvitationLinkKey = "Account.InvitationLink";
    private const string InvitationEmailKey = "Account.InvitationEmail";

    // Register

    [AllowAnonymous]
    [HttpGet("/account/register")]
    public IActionResult Register(string? kind) =>
        View(new RegisterForm { Kind = kind is "enterprise" or "vendor" ? kind : null });

    [AllowAnonymous]
    [HttpPost("/account/register")]
    [EnableRateLimiting(RateLimits.Registration)]
    public async Task<IActionResult> Register(RegisterForm form, [FromServices] RegisterOrganisation register, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(register, new RegisterOrganisationRequest
        {
            Kind = form.Kind,
            OrganisationName = form.OrganisationName,
            OrganisationNameEn = form.OrganisationNameEn,
            DisplayName = form.DisplayName,
            Email = form.Email,
            Password = form.Password,
            ConfirmPassword = form.ConfirmPassword,
            PreferredLanguage = CultureInfo.CurrentUICulture.Name,
        }, cancellationToken);
        if (!result.IsSuccess)
        {
            AddErrors(result.Error!);
            return View(Cleared(form));
        }

        var user = await users.FindByIdAsync(result.Value!.UserId.ToString(CultureInfo.InvariantCulture));
        await signIn.SignInAsync(user!, isPersistent: false);
        TempData[WelcomeKey] = "registered";
        return Redirect("/account/organisation");
    }

    // Sign in and out

    [AllowAnonymous]
    [HttpGet("/account/signin")]
    public IActionResult SignIn(string? returnUrl) => View(new SignInForm { ReturnUrl = LocalOrNull(returnUrl) });

    [AllowAnonymous]
    [HttpPost("/account/signin")]
    [EnableRateLimiting(RateLimits.SignIn)]
    public async Task<IActionResult> SignIn(SignInForm form)
    {
        form.ReturnUrl = LocalOrNull(form.ReturnUrl);
        if (string.IsNullOrWhiteSpace(form.Email))
        {
            ModelState.AddModelError(nameof(form.Email), text[AccountValidation.EmailRequired]);
        }

        if (string.IsNullOrEmpty(form.Password))
        {
            ModelState.AddModelError(nameof(form.Password), text["Enter your password."]);
        }

        if (!ModelState.IsValid)
        {
            return View(Cleared(form));
        }

        var check = await passwordSignIn.CheckAsync(form.Email!, form.Password!, HttpContext);
        switch (check.Outcome)
        {
            case SignInOutcome.Succeeded:
                await signIn.SignInAsync(check.User!, form.RememberMe);
                // Without a page to return to, people land on their dashboard.
                return LocalRedirect(form.ReturnUrl ?? "/dashboard");
            case SignInOutcome.Paused:
                // The same words for every address, known or not: the pause is this address from this network only.
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = RetryAfterSeconds(check.RetryAt);
                ModelState.AddModelError("", PausedMessage(check.RetryAt, check.PauseScope));
                break;
            case SignInOutcome.LockedOut:
                // Reached only with the right password: an administrator locked the account.
                ModelState.AddModelError("", LockedOutMessage(check.User!));
                break;
            case SignInOutcome.NotAllowed:
                ModelState.AddModelError("", text["This account may not sign in yet."]);
                break;
            default:
                ModelState.AddModelError("", text["The e-mail address or password is incorrect."]);
                if (check.FailuresLeft is { } left && left is > 0 and <= 3)
                {
                    ModelState.AddModelError("", left == 1
                        ? text["1 more failed attempt will pause sign-in to this address from your network for {0} minutes.", throttleSettings.PauseMinutes]
                        : text["{0} more failed attempts will pause sign-in to this address from your network for {1} minutes.", left, throttleSettings.PauseMinutes]);
                }

                break;
        }

        return View(Cleared(form));
    }

    [HttpPost("/account/signout")]
    public async Task<IActionResult> SignOutOfAccount()
    {
        await signIn.SignOutAsync();
        return Redirect("/");
    }

    // Organisation and invitations

    [Authorize]
    [HttpGet("/account/organisation")]
    public async Task<IActionResult> Organisation(string? org, [FromServices] OrganisationStore organisations, [FromServices] InvitationStore invitations, CancellationToken cancellationToken)
    {
        var page = await OrganisationPageAsync(org, organisations, invitations, new InviteForm(), cancellationToken);
        return page is null ? NotFound() : View(page);
    }

    [Authorize]
    [HttpPost("/account/organisation/invitations")]
    [EnableRateLimiting(RateLimits.Invitations)]
    public async Task<IActionResult> Invite(
        [Bind(Prefix = "Invite")] InviteForm form,
        [FromServices] InviteMember invite,
        [FromServices] OrganisationStore organisations,
        [FromServices] InvitationStore invitations,
        [FromServices] EmailSettings email,
        CancellationToken cancellationToken)
    {
        var membership = (await directory.MembershipsAsync(CurrentUserId(), cancellationToken)).FirstOrDefault(m => m.Slug == form.Org);
        if (membership is null)
        {
            return NotFound();
        }

        var result = await useCases.RunAsync(invite, new InviteMemberRequest(membership.OrganisationId, CurrentUserId(), form.Email), cancellationToken);
        if (!result.IsSuccess)
        {
            if (result.Error!.Kind == ErrorKind.Forbidden)
            {
                return Forbid();
            }

            AddErrors(result.Error, "Invite");
            return View("Organisation", await OrganisationPageAsync(membership.Slug, organisations, invitations, form, cancellationToken));
        }

        // From the configured Marketplace:BaseUrl, never the request's Host header (which the sender of a request chooses).
        TempData[InvitationLinkKey] = email.Link(result.Value!.AcceptPath);
        TempData[InvitationEmailKey] = result.Value.Email;
        return Redirect($"/account/organisation?org={Uri.EscapeDataString(membership.Slug)}");
    }

    [AllowAnonymous]
    [HttpGet("/account/invitations/{token}")]
    public async Task<IActionResult> Invitation(string token, [FromServices] InvitationStore invitations, CancellationToken cancellationToken)
    {
        var page = await InvitationPageAsync(token, invitations, new AcceptInvitationForm(), cancellationToken);
        if (page.State == InvitationState.Invalid)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return View(page);
    }

    [AllowAnonymous]
    [HttpPost("/account/invitations/{token}")]
    [EnableRateLimiting(RateLimits.Invitations)]
    public async Task<IActionResult> Invitation(
        string token,
        [Bind(Prefix = "Form")] AcceptInvitationForm form,
        [FromServices] AcceptInvitation accept,
        [FromServices] InvitationStore invitations,
        CancellationToken cancellationToken)
    {
        var signedIn = User.Identity?.IsAuthenticated == true;
        var result = await useCases.RunAsync(accept, new AcceptInvitationRequest
        {
            Token = token,
            ExistingUserId = signedIn ? CurrentUserId() : null,
            DisplayName = form.DisplayName,
            Password = form.Password,
            ConfirmPassword = form.ConfirmPassword,
            PreferredLanguage = CultureInfo.CurrentUICulture.Name,
        }, cancellationToken);
        if (!result.IsSuccess)
        {
            if (result.Error!.Kind == ErrorKind.Invalid)
            {
                AddErrors(result.Error, "Form");
            }

            // Not found, expired, used, or the address got an account meanwhile: the page explains the new state.
            var page = await InvitationPageAsync(token, invitations, new AcceptInvitationForm { DisplayName = form.DisplayName }, cancellationToken);
            if (page.State == InvitationState.Invalid)
            {
                Response.StatusCode = StatusCodes.Status404NotFound;
            }

            return View(page);
        }

        var user = await users.FindByIdAsync(result.Value!.UserId.ToString(CultureInfo.InvariantCulture));
        if (signedIn)
        {
            // The new role must be in the cookie at once, not after the next sign-in.
            await signIn.RefreshSignInAsync(user!);
        }
        else
        {
            await signIn.SignInAsync(user!, isPersistent: false);
        }

        TempData[WelcomeKey] = "joined";
        return Redirect($"/account/organisation?org={Uri.EscapeDataString(result.Value.OrganisationSlug)}");
    }

    // Helpers

    private async Task<OrganisationPage?> OrganisationPageAsync(
        string? slug, OrganisationStore organisations, InvitationStore invitations, InviteForm invite, CancellationToken cancellationToken)
    {
        var memberships = await directory.MembershipsAsync(CurrentUserId(), cancellationToken);
        var current = slug is null ? (memberships.Count > 0 ? memberships[0] : null) : memberships.FirstOrDefault(m => m.Slug == slug);
        if (slug is not null && current is null)
        {
            return null;
        }

        var welcome = TempData[WelcomeKey] as string;
        return new OrganisationPage
        {
            Memberships = memberships,
            Current = current,
            Members = current is null ? [] : await organisations.MembersAsync(current.OrganisationId, cancellationToken),
            Invitations = current?.IsOwner == true ? await invitations.PendingAsync(current.OrganisationId, clock.GetUtcNow(), cancellationToken) : [],
            Invite = new InviteForm { Org = current?.Slug, Email = invite.Email },
            NewInvitationLink = TempData[InvitationLinkKey] as string,
            NewInvitationEmail = TempData[InvitationEmailKey] as string,
            Welcome = welcome switch
            {
                "registered" => text["Your organisation is registered and you are signed in. Invite your colleagues below."].Value,
                "joined" => text["Welcome! You have joined the organisation."].Value,
                _ => null,
            },
        };
    }

    private async Task<InvitationPage> InvitationPageAsync(string token, InvitationStore invitations, AcceptInvitationForm form, CancellationToken cancellationToken)
    {
        var invitation = await invitations.FindByTokenAsync(token, cancellationToken);
        var signedInEmail = User.Identity?.IsAuthenticated == true ? User.Identity.Name : null;
        InvitationState state;
        if (invitation is null)
        {
            state = InvitationState.Invalid;
        }
        else if (invitation.IsAccepted)
        {
            state = InvitationState.Accepted;
        }
        else if (invitation.IsExpired(clock.GetUtcNow()))
        {
            state = InvitationState.Expired;
        }
        else if (signedInEmail is not null)
        {
            state = InvitationState.JoinAsSignedInUser;
        }
        else
        {
            state = await users.FindByEmailAsync(invitation.Email) is null ? InvitationState.CreateAccount : InvitationState.SignInFirst;
        }

        return new InvitationPage { Token = token, State = state, Invitation = invitation, SignedInEmail = signedInEmail, Form = form };
    }

    private string PausedMessage(DateTimeOffset? until, PauseScope scope)
    {
        var end = until ?? clock.GetUtcNow();
        var minutes = Math.Max(1, (int)Math.Ceiling((end - clock.GetUtcNow()).TotalMinutes));
        return scope == PauseScope.Account
            ? text["Too many failed sign-ins to this address from devices that have not signed in to it before: try again after {0} (in {1} minutes), or sign in from a device you have used before.", Display.DateTime(end), minutes].Value
            : text["Too many failed sign-ins to this address from your network: try again after {0} (in {1} minutes).", Display.DateTime(end), minutes].Value;
    }

    private string RetryAfterSeconds(DateTimeOffset? until) =>
        Math.Max(1, (int)Math.Ceiling(((until ?? clock.GetUtcNow()) - clock.GetUtcNow()).TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private string LockedOutMessage(AppUser user)
    {
        var end = user.LockoutEnd ?? clock.GetUtcNow() + AccountRules.LockoutDuration;
        var minutes = Math.Max(1, (int)Math.Round((end - clock.GetUtcNow()).TotalMinutes));
        return text["This account is locked until {0} (in {1} minutes). Try again then, or ask an administrator.", Display.DateTime(end), minutes].Value;
    }

    private long CurrentUserId() => long.Parse(users.GetUserId(User)!, CultureInfo.InvariantCulture);

    /// <summary>Copies a use case's field errors beside the form's fields, in the page's language (the shared page mapper).</summary>
    private void AddErrors(Error error, string prefix = "") => this.AddToModelState(error, text, prefix, field => field);

    private string? LocalOrNull(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : null;

    /// <summary>Passwords are never sent back to the browser.</summary>
    private static RegisterForm Cleared(RegisterForm form)
    {
        form.Password = null;
        form.ConfirmPassword = null;
        return form;
    }

    private static SignInForm Cleared(SignInForm form)
    {
        form.Password = null;
        return form;
    }
}
