using Hangfire;
using Marketplace.Core.Application;

namespace Marketplace.Jobs;

/// <summary>
/// Every background job in one place: the recurring schedule, the jobs enqueued as follow-up work of a committed
/// use case, and the names an officer, an administrator or the CLI can run on demand. Jobs are thin: each calls one
/// Core or Data service, is idempotent and safe to run twice, and has a CLI twin (`marketplace jobs run NAME`).
/// </summary>
public static class JobCatalog
{
    public const string LifecycleClock = "lifecycle-clock";
    public const string Rematch = "rematch";
    public const string WeeklyDigest = "weekly-digest";
    public const string EmailDispatch = "email-dispatch";
    public const string EmailDigests = "email-digest";
    public const string SecurityCleanup = "security-cleanup";

    /// <summary>The jobs that can be enqueued or run by name, with what they do.</summary>
    public static readonly IReadOnlyDictionary<string, string> Named = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [LifecycleClock] = "close challenges past their deadline, then send due reminders (deadline near, milestone due)",
        [Rematch] = "bring the matcher's index and stored suggestions up to date",
        [WeeklyDigest] = "send each vendor its weekly digest of new recommended challenges",
        [EmailDispatch] = "send the e-mail outbox (retries with backoff, dead letters after Email:MaxAttempts)",
        [EmailDigests] = "write the daily e-mail digests of users who chose them (the dispatcher sends them)",
        [SecurityCleanup] = "delete API Idempotency-Keys older than Security:Idempotency:KeepHours, and failed-sign-in counts quiet for 7 days",
    };

    /// <summary>Adds or updates the recurring jobs (idempotent; every instance does it at start-up).</summary>
    public static void RegisterRecurring(IRecurringJobManager recurring, JobsOptions options)
    {
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<LifecycleClockJob>(LifecycleClock, job => job.RunAsync(CancellationToken.None), options.LifecycleCron, utc);
        recurring.AddOrUpdate<RematchJob>(Rematch, job => job.RunAsync("schedule", null, CancellationToken.None), options.RematchCron, utc);
        recurring.AddOrUpdate<WeeklyDigestJob>(WeeklyDigest, job => job.RunAsync(CancellationToken.None), options.WeeklyDigestCron, utc);

        recurring.AddOrUpdate<EmailDispatchJob>(EmailDispatch, job => job.RunAsync(CancellationToken.None), options.EmailDispatchCron, utc);
        recurring.AddOrUpdate<EmailDigestJob>(EmailDigests, job => job.RunAsync(CancellationToken.None), options.EmailDigestCron, utc);
        recurring.AddOrUpdate<SecurityCleanupJob>(SecurityCleanup, job => job.RunAsync(CancellationToken.None), options.SecurityCleanupCron, utc);
    }

    /// <summary>Enqueues the job a use case asked for after its commit; returns its id, or null for work no job takes (yet).</summary>
    public static string? Enqueue(IBackgroundJobClient client, FollowUp followUp) => followUp.Kind switch
    {
        FollowUp.RematchKind => client.Enqueue<RematchJob>(job => job.RunAsync(followUp.Reason, null, CancellationToken.None)),

        FollowUp.ChallengeClosedKind => client.Enqueue<AssignReviewersJob>(job => job.RunAsync(followUp.SubjectId!.Value, CancellationToken.None)),
        _ => null,
    };

    /// <summary>Enqueues a named job now (the dashboard's "trigger", the jobs API); returns its id.</summary>
    public static string Enqueue(IBackgroundJobClient client, string name, string reason) => name switch
    {
        LifecycleClock => client.Enqueue<LifecycleClockJob>(job => job.RunAsync(CancellationToken.None)),
        Rematch => client.Enqueue<RematchJob>(job => job.RunAsync(reason, null, CancellationToken.None)),
        WeeklyDigest => client.Enqueue<WeeklyDigestJob>(job => job.RunAsync(CancellationToken.None)),
        EmailDispatch => client.Enqueue<EmailDispatchJob>(job => job.RunAsync(CancellationToken.None)),
        EmailDigests => client.Enqueue<EmailDigestJob>(job => job.RunAsync(CancellationToken.None)),
        SecurityCleanup => client.Enqueue<SecurityCleanupJob>(job => job.RunAsync(CancellationToken.None)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"No job is named '{name}'. Jobs: {string.Join(", ", Named.Keys)}."),
    };

    /// <summary>Runs a named job here and now, without Hangfire (the CLI twins); returns what it did.</summary>
    public static Task<string> RunAsync(IServiceProvider services, string name, CancellationToken cancellationToken) => name switch
    {
        LifecycleClock => Resolve<LifecycleClockJob>(services).RunAsync(cancellationToken),
        Rematch => Resolve<RematchJob>(services).RunAsync("command line", null, cancellationToken),
        WeeklyDigest => Resolve<WeeklyDigestJob>(services).RunAsync(cancellationToken),
        EmailDispatch => Resolve<EmailDispatchJob>(services).RunAsync(cancellationToken),
        EmailDigests => Resolve<EmailDigestJob>(services).RunAsync(cancellationToken),
        SecurityCleanup => Resolve<SecurityCleanupJob>(services).RunAsync(cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"No job is named '{name}'. Jobs: {string.Join(", ", Named.Keys)}."),
    };

    private static T Resolve<T>(IServiceProvider services) where T : notnull =>
        (T)(services.GetService(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered: call AddMarketplaceJobs."));
}
