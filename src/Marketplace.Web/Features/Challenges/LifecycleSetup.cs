using Marketplace.Data.Challenges;

// In the DI namespace, like the framework's own Add… extensions, so MarketplaceSetup needs only the one call.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The challenge lifecycle's services: drafting, screening, clarifications, NDA, audit and notifications. Its
/// time-driven work (closing at the deadline, reminders) runs as the lifecycle-clock job (Marketplace.Jobs, JobCatalog).
/// </summary>
public static class LifecycleSetup
{
    public static IServiceCollection AddChallengeLifecycle(this IServiceCollection services) => services.AddChallengeLifecycleData();
}
