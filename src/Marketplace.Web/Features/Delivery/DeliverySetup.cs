using Marketplace.Data.Delivery;

// In the DI namespace, like the framework's own Add… extensions, so MarketplaceSetup needs only the one call.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Delivery's services: projects, milestones, evidence, stage adjustments, failure filings, portfolio consent.</summary>
public static class DeliverySetup
{
    public static IServiceCollection AddDelivery(this IServiceCollection services) => services.AddDeliveryData();
}
