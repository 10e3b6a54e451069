using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Data.Proposals;

public static class ProposalsDataSetup
{
    /// <summary>The proposal store and its use-case handlers. Needs a DbConnectionFactory, ChallengeStore and TimeProvider.</summary>
    public static IServiceCollection AddProposalData(this IServiceCollection services)
    {
        services.TryAddSingleton<ProposalStore>();
        services.TryAddSingleton<ProposalWriter>();
        services.TryAddScoped<SubmitProposalHandler>();
        services.TryAddScoped<ReviseProposalHandler>();
        services.TryAddScoped<WithdrawProposalHandler>();
        services.TryAddScoped<OpenPriceEnvelopesHandler>();
        return services;
    }
}
