using Microsoft.AspNetCore.CookiePolicy;

namespace Marketplace.Web.Infrastructure;

/// <summary>
/// The headers every response carries (pages, the API, static files, errors), the cookie policy, and HSTS outside
/// Development. The Content-Security-Policy allows scripts and styles from this origin only: no inline script, no
/// on* handler, no style attribute (the views use classes, and wwwroot/js sets the few computed widths through the
/// DOM). Hangfire's dashboard (/hangfire, officers and administrators only) ships inline scripts and styles of its
/// own, so it alone gets 'unsafe-inline' for them.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string DashboardContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Cookies: HttpOnly and SameSite=Lax at least; Secure unless Security:SecureCookies is false (the default only under Development).</summary>
    public static IServiceCollection AddMarketplaceSecurityHeaders(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var secure = configuration.GetValue("Security:SecureCookies", !environment.IsDevelopment());
        services.Configure<CookiePolicyOptions>(options =>
        {
            options.HttpOnly = HttpOnlyPolicy.Always;
            options.MinimumSameSitePolicy = SameSiteMode.Lax;
            options.Secure = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        return services;
    }

    /// <summary>First in the pipeline, so that every response, an error or a 429 included, carries the headers.</summary>
    public static IApplicationBuilder UseMarketplaceSecurityHeaders(this IApplicationBuilder app, IHostEnvironment environment)
    {
        app.Use((context, next) =>
        {
            // When the headers go out, not now: the exception handler clears the response's headers before it answers.
            var dashboard = context.Request.Path.StartsWithSegments("/hangfire");
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = dashboard ? DashboardContentSecurityPolicy : ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
        if (!environment.IsDevelopment())
        {
            // Sent on HTTPS responses only (and never for localhost), as the HSTS middleware decides.
            app.UseHsts();
        }

        app.UseCookiePolicy();
        return app;
    }
}
