using Marketplace.Core.Features.Vendors;
using Marketplace.Data.Vendors;

// In the DI namespace, like the framework's own Add… extensions, so MarketplaceSetup needs only the one call.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The vendor profile editor's use cases; VendorStore is the one writer of profiles and portfolio cases.</summary>
public static class VendorProfileSetup
{
    public static IServiceCollection AddVendorProfiles(this IServiceCollection services)
    {
        services.AddSingleton<IVendorProfileStore>(sp => sp.GetRequiredService<VendorStore>());
        services.AddSingleton<SaveVendorProfile>();
        services.AddSingleton<AddPortfolioCase>();
        services.AddSingleton<UpdatePortfolioCase>();
        services.AddSingleton<DeletePortfolioCase>();
        return services;
    }
}
