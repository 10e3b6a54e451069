using Marketplace.Data.Dashboards;
using Marketplace.Data.Exports;

namespace Marketplace.Web.Features.Dashboards;

public static class DashboardsSetup
{
    /// <summary>The dashboards' read models (one per role), their options (Dashboards:StuckAfterDays) and the officers' exports.</summary>
    public static IServiceCollection AddDashboards(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(DashboardOptions.Section).Get<DashboardOptions>() ?? new DashboardOptions());
        services.AddSingleton<EnterpriseDashboardQuery>();
        services.AddSingleton<VendorDashboardQuery>();
        services.AddSingleton<ReviewerDashboardQuery>();
        services.AddSingleton<OfficerDashboardQuery>();
        services.AddSingleton<AdminDashboardQuery>();
        services.AddSingleton<OfficerExportQuery>();
        return services;
    }
}
