using Marketplace.Core.Features.Proposals;
using Marketplace.Data.Challenges;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Data.Proposals;

public static class ProposalsDataSetup
{
    /// <summary>
    /// The proposal store and the proposal use cases (Core), registered the same way by the web app and the tests.
    /// Needs a DbConnectionFactory, ChallengeStore and TimeProvider; brings the challenge lifecycle's stores and the runner.
    /// </summary>
    public static IServiceCollection AddProposalData(this IServiceCollection services)
    {
        services.AddUseCaseRunner();
        services.TryAddSingleton<ChallengeLifecycleStore>();
        services.TryAddSingleton<Core.Features.Challenges.IChallengeLifecycleStore>(sp => sp.GetRequiredService<ChallengeLifecycleStore>());
        services.TryAddSingleton<ProposalStore>();
        services.TryAddSingleton<IProposalStore>(sp => sp.GetRequiredService<ProposalStore>());
        services.TryAddSingleton<SubmitProposal>();
        services.TryAddSingleton<ReviseProposal>();
        services.TryAddSingleton<WithdrawProposal>();
        return services;
    }
}
