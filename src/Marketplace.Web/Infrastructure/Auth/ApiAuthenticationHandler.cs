using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Marketplace.Web.Infrastructure.Auth;

/// <summary>
/// The scheme of /api: authentication is Identity's bearer token handler (forwarded), while a missing or
/// insufficient token is answered here with RFC 7807 problem details (401 or 403) instead of a bare status
/// or, worse, a redirect to the sign-in page.
/// </summary>
public sealed class ApiAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    // Never reached: the scheme is registered with ForwardAuthenticate = the bearer scheme.
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Sign-in required",
            detail: "Send an access token from POST /api/v1/auth/token in the Authorization header: 'Bearer <accessToken>'.")
            .ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Not allowed",
            detail: "Your account does not have the role this endpoint requires.")
            .ExecuteAsync(Context);
}
