using Marketplace.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Web.Infrastructure.Auth;

public static class AuthenticationSetup
{
    /// <summary>Picks the scheme by path: bearer tokens under /api, the Identity cookie everywhere else.</summary>
    public const string SelectorScheme = "Marketplace";

    /// <summary>Bearer authentication for /api with problem-details challenges (<see cref="ApiAuthenticationHandler"/>).</summary>
    public const string ApiScheme = "MarketplaceApi";

    /// <summary>Where Hangfire's dashboard is mapped (Features/Jobs/JobsDashboard.Path).</summary>
    public const string JobsDashboardPath = "/hangfire";

    public static bool IsApiRequest(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Cookie sign-in for pages (sign-in page /account/signin; a signed-in user without the role gets a real 403
    /// rendered by the status-code page), bearer tokens for /api (401/403 as problem details, never a redirect),
    /// SignInManager, and one authorization policy per role. Call after AddMarketplaceAccounts.
    /// </summary>
    public static IServiceCollection AddMarketplaceAuthentication(this IServiceCollection services)
    {
        new IdentityBuilder(typeof(AppUser), typeof(AppRole), services).AddSignInManager();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = SelectorScheme;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(SelectorScheme, "Cookie for pages, bearer token for the API", options =>
                options.ForwardDefaultSelector = context => IsApiRequest(context.Request) ? ApiScheme : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiAuthenticationHandler>(ApiScheme, options =>
                options.ForwardAuthenticate = IdentityConstants.BearerScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, options =>
            {
                options.BearerTokenExpiration = TimeSpan.FromHours(1);
                options.RefreshTokenExpiration = TimeSpan.FromDays(14);
            })
            .AddIdentityCookies();

        services.Configure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, options =>
        {
            options.LoginPath = "/account/signin";
            options.LogoutPath = "/account/signout";
            options.AccessDeniedPath = "/error/403";
            options.ReturnUrlParameter = "returnUrl";
            options.Cookie.Name = "marketplace.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.ExpireTimeSpan = TimeSpan.FromDays(14);
            options.SlidingExpiration = true;

            // Keep Identity's security-stamp validation (set by AddIdentityCookies) and answer "not allowed"
            // with the 403 status itself; the status-code page renders the friendly explanation.
            // The jobs dashboard answers a signed-out visitor with 401 (and the status page's sign-in link), never
            // a redirect: its own scripts poll /hangfire/stats and must see "not signed in", not a sign-in form.
            var redirectToSignIn = options.Events.OnRedirectToLogin;
            options.Events.OnRedirectToLogin = context =>
            {
                if (context.Request.Path.StartsWithSegments(JobsDashboardPath, StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                }

                return redirectToSignIn(context);
            };
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Enterprise, policy => policy.RequireRole(Roles.Enterprise))
            .AddPolicy(AuthPolicies.Vendor, policy => policy.RequireRole(Roles.Vendor))
            .AddPolicy(AuthPolicies.Reviewer, policy => policy.RequireRole(Roles.Reviewer))
            .AddPolicy(AuthPolicies.Officer, policy => policy.RequireRole(Roles.Officer))
            .AddPolicy(AuthPolicies.Admin, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(AuthPolicies.ProgrammeStaff, policy => policy.RequireRole(Roles.Officer, Roles.Admin));
        return services;
    }
}
