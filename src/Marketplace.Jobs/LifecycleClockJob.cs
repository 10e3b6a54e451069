using Marketplace.Core.Features.Notifications;
using Microsoft.Extensions.Logging;

namespace Marketplace.Jobs;

/// <summary>
/// Every minute: closes challenges whose deadline passed, then sends the reminders now due (LifecycleClockWork).
/// Idempotent: a closed challenge is not closed again and each reminder is recorded once (notification_reminders).
/// CLI twin: `marketplace jobs run lifecycle-clock` (or `challenges close-due` and `notifications remind`).
/// </summary>
public sealed class LifecycleClockJob(LifecycleClockWork work, ILogger<LifecycleClockJob> logger)
{
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var (closed, reminded) = await work.RunAsync(cancellationToken);
        if (closed + reminded > 0)
        {
            logger.LogInformation("Lifecycle clock: {Closed} challenge(s) closed, {Reminded} reminder(s) sent.", closed, reminded);
        }

        return $"{closed} closed, {reminded} reminded";
    }
}
