using Hangfire;
using Hangfire.Dashboard;
using Marketplace.Core.Accounts;
using Marketplace.Jobs;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Web.Features.Jobs;

/// <summary>Hangfire's dashboard at /hangfire, for officers and administrators only.</summary>
public static class JobsDashboard
{
    public const string Path = AuthenticationSetup.JobsDashboardPath;

    /// <summary>
    /// What Hangfire's ASP.NET Core dashboard asks the container for (IGlobalConfiguration, its routes). Not AddHangfire: its configuration
    /// sets process-wide statics (the log provider on this app's logger factory, the activator), which outlive the app
    /// and break the next one in the same process (the tests start many). Storage, client and filters are this app's own.
    /// </summary>
    public static IServiceCollection AddJobsDashboard(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(JobStorage)))
        {
            services.TryAddSingleton(GlobalConfiguration.Configuration);
            services.TryAddSingleton(DashboardRoutes.Routes);
        }

        return services;
    }

    /// <summary>
    /// Behind the ProgrammeStaff policy, so the cookie scheme answers: anonymous gets 401 (AuthenticationSetup), another
    /// role a 403, never the dashboard. The dashboard's own filter checks the role again (its default would allow local
    /// requests only). Nothing is mapped when Jobs:Enabled is false.
    /// </summary>
    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        if (app.Services.GetService<JobStorage>() is not { } storage)
        {
            return app;
        }

        app.MapHangfireDashboardWithAuthorizationPolicy(AuthPolicies.ProgrammeStaff, Path, new DashboardOptions
        {
            Authorization = [new ProgrammeStaffOnly()],
            AsyncAuthorization = [],
            DashboardTitle = "Marketplace jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        }, storage);
        return app;
    }

    private sealed class ProgrammeStaffOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.IsInRole(Roles.Officer) || user.IsInRole(Roles.Admin);
        }
    }
}
