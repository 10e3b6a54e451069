using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Marketplace.Web.Infrastructure;

/// <summary>One fixed window: how many requests a client may make in it.</summary>
public sealed class RateLimit
{
    public int PermitLimit { get; init; }
    public int WindowSeconds { get; init; } = 60;
}

/// <summary>Security:RateLimits: the windows of ASP.NET Core's rate limiter, per client address (the API: per signed-in user).</summary>
public sealed class RateLimitSettings
{
    public const string SectionName = "Security:RateLimits";

    /// <summary>POST /account/signin, /api/v1/auth/token and /api/v1/auth/refresh.</summary>
    public RateLimit SignIn { get; init; } = new() { PermitLimit = 20, WindowSeconds = 60 };

    /// <summary>POST /account/register.</summary>
    public RateLimit Registration { get; init; } = new() { PermitLimit = 10, WindowSeconds = 3600 };

    /// <summary>Sending an invitation and answering one (POST /account/organisation/invitations, /account/invitations/{token}).</summary>
    public RateLimit Invitations { get; init; } = new() { PermitLimit = 30, WindowSeconds = 3600 };

    /// <summary>Every request under /api.</summary>
    public RateLimit Api { get; init; } = new() { PermitLimit = 300, WindowSeconds = 60 };
}

/// <summary>
/// Rate limiting with ASP.NET Core's limiter: named policies on the sign-in, token, registration and invitation
/// endpoints, a global limit on the API. A refusal is 429 with Retry-After: problem details under /api, the
/// friendly error page elsewhere (the status-code page renders /error/429). Counts are in memory, per instance.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "signin";
    public const string Registration = "registration";
    public const string Invitations = "invitations";

    public static IServiceCollection AddMarketplaceRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(RateLimitSettings.SectionName).Get<RateLimitSettings>() ?? new RateLimitSettings();
        services.AddSingleton(settings);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignIn, context => ByClient(context, SignIn, settings.SignIn));
            options.AddPolicy(Registration, context => ByClient(context, Registration, settings.Registration));
            options.AddPolicy(Invitations, context => ByClient(context, Invitations, settings.Invitations));
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/api")
                    ? Window("api|" + (context.User.Identity?.IsAuthenticated == true ? "user:" + context.User.Identity.Name : "ip:" + Client(context)), settings.Api)
                    : RateLimitPartition.GetNoLimiter("pages"));
            options.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    private static RateLimitPartition<string> ByClient(HttpContext context, string policy, RateLimit limit) => Window($"{policy}|{Client(context)}", limit);

    private static RateLimitPartition<string> Window(string key, RateLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, limit.PermitLimit),
            Window = TimeSpan.FromSeconds(Math.Max(1, limit.WindowSeconds)),
            QueueLimit = 0,
        });

    private static string Client(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "-";

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            // Nothing written: the status-code page shows /error/429, a page a person can read.
            return;
        }

        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = ErrorResponses.TitleOf(StatusCodes.Status429TooManyRequests),
            Detail = $"Too many requests from this client: try again in {seconds} seconds.",
        };
        problem.Extensions["retryAfterSeconds"] = seconds;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
