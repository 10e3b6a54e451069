using Marketplace.Core.Features.Matching;
using Marketplace.Data.Matching;

namespace Marketplace.Web.Features.Matching;

public static class MatchingSetup
{
    /// <summary>
    /// The matcher over the database: its store and the shared index. The index is warmed at start-up (it lives in this
    /// instance's memory, so each instance warms its own); the rematch job (Marketplace.Jobs) refreshes it after changes
    /// and on a schedule.
    /// </summary>
    public static IServiceCollection AddMatching(this IServiceCollection services)
    {
        services.AddSingleton<MatchStore>();
        services.AddSingleton<Matchmaker>();
        services.AddSingleton<RecommendationQuery>();
        services.AddSingleton<IMatchDecisionStore>(sp => sp.GetRequiredService<MatchStore>());
        services.AddSingleton<RecordMatchDecision>();
        services.AddScoped<ReviewerSuggestionReader>();
        services.AddHostedService<MatchingWarmUp>();
        return services;
    }
}

/// <summary>
/// Builds this instance's in-memory index once at start-up, off the request path, so the first page does not pay for
/// it. Periodic and change-driven refreshes are the rematch job's (Hangfire); a failure here is logged and the first
/// use builds the index instead. <c>Matching:WarmUpAtStart</c> = false skips it (the first page or job that needs the
/// matcher then pays for it; used to measure the start-up cost, docs/benchmarks.md).
/// </summary>
public sealed class MatchingWarmUp(Matchmaker matchmaker, IConfiguration configuration, ILogger<MatchingWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Matching:WarmUpAtStart", true))
        {
            logger.LogInformation("Matching:WarmUpAtStart is false: the matcher is built on first use.");
            return;
        }

        try
        {
            await matchmaker.RefreshAsync("start-up", stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The matcher's start-up warm-up failed; the first page that needs it builds the index.");
        }
    }
}
