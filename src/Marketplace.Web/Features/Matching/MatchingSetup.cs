using Marketplace.Core.Features.Matching;
using Marketplace.Data.Matching;

namespace Marketplace.Web.Features.Matching;

public static class MatchingSetup
{
    /// <summary>The matcher over the database: its store, the shared index, and the background refresh.</summary>
    public static IServiceCollection AddMatching(this IServiceCollection services)
    {
        services.AddSingleton<MatchStore>();
        services.AddSingleton<Matchmaker>();
        services.AddSingleton<RecommendationQuery>();
        services.AddSingleton<IMatchDecisionStore>(sp => sp.GetRequiredService<MatchStore>());
        services.AddSingleton<RecordMatchDecision>();
        services.AddScoped<ReviewerSuggestionReader>();
        services.AddHostedService<MatchingRefreshService>();
        return services;
    }
}

/// <summary>
/// Warms the index at start-up and then refreshes it every Matching:RefreshSeconds (60 by default), so new or
/// edited challenges and vendor profiles reach the suggestions without anyone waiting for it. A failed refresh
/// is logged and retried on the next tick; the pages keep serving the last stored suggestions.
/// </summary>
public sealed class MatchingRefreshService(Matchmaker matchmaker, IConfiguration configuration, ILogger<MatchingRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(5, configuration.GetValue("Matching:RefreshSeconds", 60)));
        using var timer = new PeriodicTimer(interval);
        var reason = "start-up";
        do
        {
            try
            {
                await matchmaker.RefreshAsync(reason, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "The matcher's {Reason} refresh failed; it will be retried.", reason);
            }

            reason = "refresh";
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
