using Marketplace.Core.Features.Delivery;
using Marketplace.Data.Challenges;
using Marketplace.Data.Vendors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Data.Delivery;

/// <summary>Delivery's store and use cases, registered the same way by the web app, the CLI and the tests.</summary>
public static class DeliveryDataSetup
{
    public static IServiceCollection AddDeliveryData(this IServiceCollection services)
    {
        services.AddUseCaseRunner();
        services.TryAddSingleton<VendorStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<IProjectStore>(sp => sp.GetRequiredService<DeliveryStore>());
        services.AddSingleton<IMilestoneStore>(sp => sp.GetRequiredService<DeliveryStore>());
        services.AddSingleton<IStageAdjustmentStore>(sp => sp.GetRequiredService<DeliveryStore>());
        services.AddSingleton<IPortfolioConsentStore>(sp => sp.GetRequiredService<DeliveryStore>());
        services.AddSingleton<ProjectEnding>();
        services.AddSingleton<StartDelivery>();
        services.AddSingleton<SubmitEvidence>();
        services.AddSingleton<DecideMilestone>();
        services.AddSingleton<RequestAdjustment>();
        services.AddSingleton<DecideAdjustment>();
        services.AddSingleton<FileFailure>();
        services.AddSingleton<RecordPortfolioConsent>();
        return services;
    }
}
