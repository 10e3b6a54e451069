namespace Marketplace.Jobs;

/// <summary>The "Jobs" configuration section (README, docs/jobs.md).</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Hangfire at all: storage, recurring jobs, follow-up jobs and the dashboard. Off: nothing runs in the background (use the CLI).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether this instance runs workers. An instance without them still enqueues jobs and serves the dashboard.</summary>
    public bool Server { get; set; } = true;

    /// <summary>Workers of this instance's server.</summary>
    public int WorkerCount { get; set; } = 2;

    /// <summary>How often the server looks for scheduled, recurring and retried jobs, and how long an idle worker waits for a queued one (SQLite, PostgreSQL).</summary>
    public int PollSeconds { get; set; } = 15;

    /// <summary>Retries of a job that throws (Hangfire's AutomaticRetry); 0 fails it at once.</summary>
    public int RetryAttempts { get; set; } = 3;

    /// <summary>Delay before each retry.</summary>
    public int RetryDelaySeconds { get; set; } = 60;

    /// <summary>Cron (UTC; five fields, or six with seconds first) of the lifecycle clock: closing at the deadline and reminders.</summary>
    public string LifecycleCron { get; set; } = "* * * * *";

    /// <summary>Cron of the matcher's safety-net refresh (publishing, editing and profile changes enqueue one at once).</summary>
    public string RematchCron { get; set; } = "*/10 * * * *";

    /// <summary>Cron of the weekly digest to vendors; Monday 01:00 UTC is 09:00 in Beijing.</summary>
    public string WeeklyDigestCron { get; set; } = "0 1 * * 1";

    /// <summary>Cron of the e-mail dispatcher (the outbox is sent within a minute of a notification).</summary>
    public string EmailDispatchCron { get; set; } = "* * * * *";

    /// <summary>Cron of the daily e-mail digests; 00:00 UTC is 08:00 in Beijing.</summary>
    public string EmailDigestCron { get; set; } = "0 0 * * *";

    /// <summary>Cron of the Idempotency-Key cleanup (hourly, at minute 17 so it does not start with the every-minute jobs).</summary>
    public string SecurityCleanupCron { get; set; } = "17 * * * *";

    /// <summary>
    /// SQLite only: the Hangfire database file. Empty: beside the application's file, named &lt;name&gt;.hangfire.db
    /// (docs/jobs.md says why it is not the application's own file).
    /// </summary>
    public string? SqliteFile { get; set; }
}
