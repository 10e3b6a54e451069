using Marketplace.Data.Proposals;

#pragma warning disable IDE0130 // The conventional namespace of AddXxx service extensions, so MarketplaceSetup needs one line and no using.
namespace Microsoft.Extensions.DependencyInjection;

public static class ProposalsServiceCollectionExtensions
{
    /// <summary>Sealed proposals: the store and the use-case handlers behind the pages and API of Features/Proposals.</summary>
    public static IServiceCollection AddProposals(this IServiceCollection services) => services.AddProposalData();
}
#pragma warning restore IDE0130
