using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Data.Delivery;

/// <summary>Delivery's store and handlers, registered the same way by the web app, the CLI and the tests.</summary>
public static class DeliveryDataSetup
{
    public static IServiceCollection AddDeliveryData(this IServiceCollection services)
    {
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<DeliveryRunner>();
        services.AddSingleton<StartDeliveryHandler>();
        services.AddSingleton<SubmitEvidenceHandler>();
        services.AddSingleton<DecideMilestoneHandler>();
        services.AddSingleton<RequestAdjustmentHandler>();
        services.AddSingleton<DecideAdjustmentHandler>();
        services.AddSingleton<FileFailureHandler>();
        services.AddSingleton<PortfolioConsentHandler>();
        return services;
    }
}
