using Hangfire;
using Marketplace.Core.Application;
using Microsoft.Extensions.Logging;

namespace Marketplace.Jobs;

/// <summary>
/// Core's follow-up requests become Hangfire jobs (JobCatalog.Enqueue). Called after the use case committed, so it
/// never throws: a request lost to a storage failure is logged, and the recurring jobs catch up with it.
/// </summary>
public sealed class HangfireFollowUpWork(IBackgroundJobClient client, ILogger<HangfireFollowUpWork> logger) : IFollowUpWork
{
    public void Request(IReadOnlyList<FollowUp> work)
    {
        foreach (var followUp in work)
        {
            try
            {
                JobCatalog.Enqueue(client, followUp);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Could not enqueue {Kind} ({Reason}); the recurring job will catch up.", followUp.Kind, followUp.Reason);
            }
        }
    }
}
