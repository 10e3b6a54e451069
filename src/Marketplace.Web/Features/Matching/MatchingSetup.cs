using Marketplace.Core.Features.Matching;
using Marketplace.Data.Matching;

namespace Marketplace.Web.Features.Matching;

public static class MatchingSetup
{
    /// <summary>
    /// The matcher over the database: its store and the shared index. The index is built on first use; the rematch job
    /// (Marketplace.Jobs) refreshes it after changes and on a schedule.
    /// </summary>
    public static IServiceCollection AddMatching(this IServiceCollection services)
    {
        services.AddSingleton<MatchStore>();
        services.AddSingleton<Matchmaker>();
        services.AddSingleton<RecommendationQuery>();
        services.AddSingleton<IMatchDecisionStore>(sp => sp.GetRequiredService<MatchStore>());
        services.AddSingleton<RecordMatchDecision>();
        services.AddScoped<ReviewerSuggestionReader>();
        return services;
    }
}
