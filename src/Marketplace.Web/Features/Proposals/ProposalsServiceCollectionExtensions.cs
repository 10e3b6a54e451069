using Marketplace.Data.Proposals;
using Marketplace.Web.Features.Proposals;

#pragma warning disable IDE0130 // The conventional namespace of AddXxx service extensions, so MarketplaceSetup needs one line and no using.
namespace Microsoft.Extensions.DependencyInjection;

public static class ProposalsServiceCollectionExtensions
{
    /// <summary>Sealed proposals: the store, the use cases and the reader behind the pages and API of Features/Proposals.</summary>
    public static IServiceCollection AddProposals(this IServiceCollection services) =>
        services.AddProposalData().AddScoped<ProposalReader>();
}
#pragma warning restore IDE0130
