using System.Globalization;
using System.Security.Claims;
using Marketplace.Core.Accounts;
using Marketplace.Core.Organisations;
using Marketplace.Data.Accounts;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Features.Account;

public sealed record TokenRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record MeResponse(long Id, string Email, string DisplayName, string PreferredLanguage, IReadOnlyList<string> Roles, IReadOnlyList<MeOrganisation> Organisations);

public sealed record MeOrganisation(long Id, string Slug, string Name, string Kind, bool IsOwner);

/// <summary>
/// Bearer tokens for the JSON API, issued by Identity's bearer token handler: the response is Identity's
/// AccessTokenResponse (tokenType, accessToken, expiresIn, refreshToken). Failures are RFC 7807 problem details.
/// </summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").WithTags("Accounts");
        api.MapPost("/auth/token", IssueTokenAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn).WithName("IssueToken")
            .WithSummary("Exchange an e-mail address and password for an access token and a refresh token.");
        api.MapPost("/auth/refresh", RefreshAsync).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn).WithName("RefreshToken")
            .WithSummary("Exchange a refresh token for a new access token.");
        api.MapGet("/me", MeAsync).RequireAuthorization().WithName("Me")
            .WithSummary("The signed-in user with their roles and organisations.");
        return endpoints;
    }

    private static async Task<IResult> IssueTokenAsync(TokenRequest? request, SignInManager<AppUser> signIn, PasswordSignIn passwordSignIn, HttpContext context, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request?.Email))
        {
            errors["email"] = ["email is required."];
        }
        else if (!AccountRules.IsValidEmail(AccountRules.CleanEmail(request.Email)))
        {
            errors["email"] = ["email must be an e-mail address, such as name@company.cn."];
        }

        if (string.IsNullOrEmpty(request?.Password))
        {
            errors["password"] = ["password is required."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var check = await passwordSignIn.CheckAsync(request!.Email!, request.Password!, context);
        var now = clock.GetUtcNow();
        switch (check.Outcome)
        {
            case SignInOutcome.Succeeded:
                // The bearer handler writes the token response itself when signed in to its scheme.
                signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
                await signIn.SignInAsync(check.User!, isPersistent: false);
                return TypedResults.Empty;
            case SignInOutcome.Paused:
            {
                // The same answer for every address, known or not: the pause is this address from this client, or this
                // address from clients that never signed in to it.
                var until = check.RetryAt ?? now;
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    detail: check.PauseScope == PauseScope.Account
                        ? $"Too many failed sign-ins to this address from clients that have not signed in to it before: try again after {until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}, or from a client that has."
                        : $"Too many failed sign-ins to this address from this client: try again after {until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}.",
                    extensions: new Dictionary<string, object?> { ["retryAt"] = until.UtcDateTime });
            }

            case SignInOutcome.LockedOut:
            {
                // Reached only with the right password: an administrator locked the account.
                var end = check.RetryAt ?? now + AccountRules.LockoutDuration;
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Account locked",
                    detail: $"This account is locked until {end.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}.",
                    extensions: new Dictionary<string, object?> { ["lockoutEnd"] = end.UtcDateTime });
            }

            case SignInOutcome.NotAllowed:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in not allowed", detail: "This account may not sign in yet.");
            default:
                return WrongCredentials();
        }
    }

    private static async Task<IResult> RefreshAsync(RefreshRequest? request, SignInManager<AppUser> signIn, IOptionsMonitor<BearerTokenOptions> bearerOptions, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(request?.RefreshToken))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refreshToken"] = ["refreshToken is required."] });
        }

        var protector = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = protector.Unprotect(request.RefreshToken);

        // As Identity's own /refresh endpoint: the token must be current and the user's security stamp unchanged.
        if (ticket?.Properties.ExpiresUtc is not { } expires
            || clock.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid refresh token",
                detail: "The refresh token is invalid or has expired. Request a new token from POST /api/v1/auth/token.");
        }

        var principal = await signIn.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static async Task<IResult> MeAsync(ClaimsPrincipal principal, UserManager<AppUser> users, UserDirectory directory, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in required", detail: "The account of this token no longer exists.");
        }

        var roles = await users.GetRolesAsync(user);
        var memberships = await directory.MembershipsAsync(user.Id, cancellationToken);
        return TypedResults.Ok(new MeResponse(
            user.Id,
            user.Email,
            user.DisplayName,
            user.PreferredLanguage,
            roles.ToList(),
            memberships.Select(m => new MeOrganisation(m.OrganisationId, m.Slug, m.Name, m.Kind.ToStorage(), m.IsOwner)).ToList()));
    }

    private static ProblemHttpResult WrongCredentials() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Wrong credentials",
        detail: "The e-mail address or password is incorrect.");
}
