using Hangfire;
using Hangfire.Storage;

namespace Marketplace.Jobs;

/// <summary>Hangfire's counters and the newest failures, as the administrator's dashboard shows them.</summary>
public sealed record JobHealthReport(
    bool Enabled,
    long Enqueued,
    long Scheduled,
    long Processing,
    long Succeeded,
    long Failed,
    long Recurring,
    long Servers,
    IReadOnlyList<FailedJobRow> RecentFailures)
{
    public static JobHealthReport Disabled { get; } = new(false, 0, 0, 0, 0, 0, 0, 0, []);
}

public sealed record FailedJobRow(string Id, string Job, DateTime? FailedAt, string? Reason);

/// <summary>
/// Reads the health of the background jobs through Hangfire's monitoring API on this app's own <see cref="JobStorage"/>
/// (the DI singleton, not <c>JobStorage.Current</c>: the app keeps no process-wide Hangfire statics). With Jobs:Enabled
/// false there is no storage and the report says so.
/// </summary>
public sealed class JobHealth(IServiceProvider services)
{
    public const int RecentFailureCount = 5;

    public JobHealthReport Read()
    {
        if (services.GetService(typeof(JobStorage)) is not JobStorage storage)
        {
            return JobHealthReport.Disabled;
        }

        var monitoring = storage.GetMonitoringApi();
        var statistics = monitoring.GetStatistics();
        var failures = monitoring.FailedJobs(0, RecentFailureCount)
            .Select(f => new FailedJobRow(f.Key, Name(f.Value.Job), f.Value.FailedAt, f.Value.ExceptionMessage))
            .ToList();
        return new JobHealthReport(true, statistics.Enqueued, statistics.Scheduled, statistics.Processing, statistics.Succeeded,
            statistics.Failed, statistics.Recurring, statistics.Servers, failures);
    }

    private static string Name(Hangfire.Common.Job? job) => job is null ? "?" : $"{job.Type.Name}.{job.Method.Name}";
}
