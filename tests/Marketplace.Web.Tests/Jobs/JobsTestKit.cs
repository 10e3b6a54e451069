using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using Marketplace.Data;
using Marketplace.Jobs;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Jobs;

/// <summary>The application with Hangfire workers on (polling every second, retries after one second).</summary>
public class JobsFactory : MarketplaceFactory
{
    protected override bool JobsServer => true;
}

/// <summary>The same on PostgreSQL.</summary>
public sealed class PostgresJobsFactory : JobsFactory
{
    protected override string Engine => Marketplace.Testing.TestEngines.Postgres;
}

/// <summary>Reading Hangfire's own record of jobs, the way the dashboard does.</summary>
public static class JobsTestKit
{
    public static JobStorage JobStorage(this MarketplaceFactory factory) => factory.Services.GetRequiredService<JobStorage>();

    /// <summary>A storage of our own on a database an app (another process) uses, as that app opens it.</summary>
    public static JobStorage StorageFor(DatabaseOptions database) => JobStorageFactory.Create(database, new JobsOptions { PollSeconds = 1 });

    /// <summary>
    /// Waits until the job reaches a final state (Succeeded, Failed or Deleted); returns its details, whose newest history
    /// entry is then that state. Finality is read from the job's current state, not from its history: a retried job's
    /// history also holds the Failed state AutomaticRetry replaced (Hangfire records it as traversed), and
    /// Hangfire.Storage.SQLite writes a transaction's rows one by one, so for a moment that Failed entry is the newest
    /// one while the job is already on its way to Scheduled.
    /// </summary>
    public static async Task<JobDetailsDto> WaitForFinalStateAsync(this JobStorage storage, string jobId, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            string? state;
            using (var connection = storage.GetConnection())
            {
                state = connection.GetJobData(jobId)?.State;
            }

            if (state is "Succeeded" or "Failed" or "Deleted")
            {
                var details = storage.GetMonitoringApi().JobDetails(jobId)!;
                if (details.History.FirstOrDefault()?.StateName == state)
                {
                    return details;
                }
            }

            if (DateTime.UtcNow > until)
            {
                var history = storage.GetMonitoringApi().JobDetails(jobId)?.History.Select(h => h.StateName) ?? [];
                throw new TimeoutException($"Job {jobId} is still '{state}' after the timeout; history: {string.Join(" ← ", history)}.");
            }

            await Task.Delay(200);
        }
    }

    public static string? StateOf(this JobStorage storage, string jobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    /// <summary>How many times a worker started the job (its Processing states).</summary>
    public static int TimesProcessed(this JobDetailsDto details) => details.History.Count(h => h.StateName == "Processing");
}
