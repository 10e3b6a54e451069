using Marketplace.Core.Features.Notifications;
using Marketplace.Data.Challenges;

// In the DI namespace, like the framework's own Add… extensions, so MarketplaceSetup needs only the one call.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The challenge lifecycle's services: drafting, screening, clarifications, NDA, audit and notifications.</summary>
public static class LifecycleSetup
{
    public static IServiceCollection AddChallengeLifecycle(this IServiceCollection services)
    {
        services.AddChallengeLifecycleData();
        services.AddHostedService<LifecycleClockService>();
        return services;
    }
}

/// <summary>
/// Runs the lifecycle's time-driven work (closing at the deadline, reminders) off the request path, every
/// Lifecycle:ClockSeconds (60 by default; 0 turns it off, as the tests do, which run it themselves). Page views never
/// write. A failed run is logged and retried on the next tick; every step is idempotent.
/// </summary>
public sealed class LifecycleClockService(LifecycleClockWork work, IConfiguration configuration, ILogger<LifecycleClockService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue("Lifecycle:ClockSeconds", 60);
        if (seconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(5, seconds)));
        do
        {
            try
            {
                var (closed, reminded) = await work.RunAsync(stoppingToken);
                if (closed + reminded > 0)
                {
                    logger.LogInformation("Lifecycle clock: {Closed} challenge(s) closed, {Reminded} reminder(s) sent.", closed, reminded);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "The lifecycle clock's run failed; it will be retried.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
