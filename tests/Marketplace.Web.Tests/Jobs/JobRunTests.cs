using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Hangfire;
using Marketplace.Core.Challenges;
using Marketplace.Web.Tests.Infrastructure;
using Marketplace.Web.Tests.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Web.Tests.Jobs;

/// <summary>
/// Jobs run by Hangfire's own workers inside the app (in process), with the app's controlled clock. Each test has an
/// app of its own: its workers would otherwise pick up another test's jobs.
/// </summary>
public sealed class JobRunTests
{
    [Fact]
    public async Task LifecycleClockJob_ClosesAChallengeOnlyOnceItsDeadlinePassed()
    {
        await using var factory = new JobsFactory();
        await factory.InitializeAsync();
        _ = factory.Services; // starts the app: migrations and seeds/test
        long challengeId;
        DateTimeOffset deadline;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            (challengeId, deadline) = await connection.QuerySingleAsync<(long, DateTimeOffset)>(
                "SELECT id, deadline_at FROM challenges WHERE status = 'published' ORDER BY deadline_at, id " + factory.Database.Connections.Dialect.Page,
                new { Skip = 0, Take = 1 });
        }

        // Just before the deadline the job runs and closes nothing.
        factory.Clock.SetUtcNow(deadline.AddMinutes(-1));
        // Signed in after each jump: a bearer token ages with the app's clock.
        var officer = await factory.ApiClientAsync(LifecycleTestKit.Officer);
        var before = await RunAsync(factory, officer, "lifecycle-clock");
        Assert.Equal(ChallengeStatus.Published, await StatusAsync(factory, challengeId));

        // A minute after it, the same job closes it; running it again changes nothing.
        factory.Clock.SetUtcNow(deadline.AddMinutes(1));
        officer = await factory.ApiClientAsync(LifecycleTestKit.Officer);
        var after = await RunAsync(factory, officer, "lifecycle-clock");
        var again = await RunAsync(factory, officer, "lifecycle-clock");

        // The seeded challenge has no proposals, so closing ends it without an award at once.
        Assert.Equal(ChallengeStatus.NotAwarded, await StatusAsync(factory, challengeId));
        // (The first run may end a seeded challenge left "closed" without proposals; ours stayed published, checked above.)
        Assert.NotNull(before);
        Assert.Contains("1 closed", after, StringComparison.Ordinal);
        Assert.Contains("0 closed", again, StringComparison.Ordinal);
        await using var db = await factory.Database.Connections.OpenAsync();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM challenge_audit WHERE challenge_id = @Id AND to_status = 'not_awarded'", new { Id = challengeId }));
    }

    [Fact]
    public async Task ClosingAChallengeWithProposals_ProposesReviewersToTheOfficersThroughTheFollowUpJob_AndTheOutboxIsSent()
    {
        await using var factory = new JobsFactory();
        await factory.InitializeAsync();
        _ = factory.Services;
        long challengeId;
        DateTimeOffset deadline;
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            (challengeId, deadline) = await connection.QuerySingleAsync<(long, DateTimeOffset)>(
                "SELECT id, deadline_at FROM challenges WHERE status = 'published' AND visibility = 'public' ORDER BY deadline_at, id " + factory.Database.Connections.Dialect.Page,
                new { Skip = 0, Take = 1 });
        }

        await Marketplace.Web.Tests.Proposals.ProposalTestKit.SubmitThroughApiAsync(factory, LifecycleTestKit.Vendor, challengeId);
        factory.Clock.SetUtcNow(deadline.AddMinutes(1));
        var officer = await factory.ApiClientAsync(LifecycleTestKit.Officer);
        await RunAsync(factory, officer, "lifecycle-clock");
        // Closed, or already under review if the follow-up job was quicker than this read.
        var status = await StatusAsync(factory, challengeId);
        Assert.True(status is ChallengeStatus.Closed or ChallengeStatus.UnderReview, status);

        // The close asked for an automatic assignment after its commit; Hangfire's workers run it. By default it
        // proposes: the officers are told a plan is ready, and no reviewer is assigned before one confirms it.
        var told = await WaitForAsync(() =>
        {
            using var connection = factory.Database.Connections.OpenAsync().GetAwaiter().GetResult();
            var count = connection.ExecuteScalar<int>(
                "SELECT COUNT(*) FROM notifications WHERE kind = 'reviewer_assignment_proposed' AND challenge_id = @Id", new { Id = challengeId });
            return count > 0 ? (int?)count : null;
        });
        Assert.True(told > 0);
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM review_assignments a JOIN proposals p ON p.id = a.proposal_id WHERE p.challenge_id = @Id", new { Id = challengeId }));
        }

        // The e-mail dispatcher is a job too: the outbox of the close and the proposal goes out (here as .eml files).
        await RunAsync(factory, officer, "email-dispatch");
        await using var db = await factory.Database.Connections.OpenAsync();
        Assert.True(await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM email_outbox WHERE status = 'sent'") > 0);
    }

    [Fact]
    public async Task AJobThatThrows_IsRetried_UntilItSucceeds()
    {
        await using var factory = new JobsFactory();
        await factory.InitializeAsync();
        var key = Guid.NewGuid().ToString("N");

        var id = factory.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => FlakyJob.Run(key, 2));
        var details = await factory.JobStorage().WaitForFinalStateAsync(id);

        Assert.True(details.History[0].StateName == "Succeeded", string.Join("\n", details.History.Select(h => $"{h.StateName}: {h.Reason} {string.Join(", ", h.Data.Select(d => d.Key + "=" + d.Value))}")));
        Assert.Equal(3, FlakyJob.Attempts[key]);
        Assert.Equal(3, details.TimesProcessed());
    }

    [Fact]
    public async Task AJobThatAlwaysThrows_FailsAfterTheConfiguredAttempts()
    {
        await using var factory = new RetryOnceJobsFactory();
        await factory.InitializeAsync();
        var key = Guid.NewGuid().ToString("N");

        var id = factory.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => FlakyJob.Run(key, int.MaxValue));
        var details = await factory.JobStorage().WaitForFinalStateAsync(id);

        Assert.Equal("Failed", details.History[0].StateName);
        Assert.Equal(2, FlakyJob.Attempts[key]);
        // The app's log has each failed attempt (warning, with the exception) and the final failure (error).
        var logged = factory.Logged.Where(e => e.Category == typeof(Marketplace.Jobs.JobOutcomeLogFilter).FullName && e.Message.Contains(id, StringComparison.Ordinal)).ToList();
        Assert.True(logged.Select(e => e.Level).SequenceEqual([LogLevel.Warning, LogLevel.Warning, LogLevel.Error]), string.Join("\n", factory.Logged.Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Level} {e.Category}: {e.Message}")));
        Assert.All(logged, e => Assert.IsType<InvalidOperationException>(e.Exception));
    }

    [Fact]
    public async Task PublishingAChallenge_QueuesARematch_WhoseProgressTheDashboardShows()
    {
        await using var factory = new JobsFactory();
        await factory.InitializeAsync();
        var enterprise = await factory.ApiClientAsync(LifecycleTestKit.Enterprise);
        var officer = await factory.ApiClientAsync(LifecycleTestKit.Officer);
        using var created = await enterprise.PostAsJsonAsync("/api/v1/challenges", LifecycleTestKit.ChallengeJson(factory.Clock.GetUtcNow()));
        var challengeId = (await created.JsonAsync()).GetProperty("id").GetInt64();
        (await enterprise.PostAsync($"/api/v1/challenges/{challengeId}/submit", null)).EnsureSuccessStatusCode();

        (await officer.PostAsJsonAsync($"/api/v1/challenges/{challengeId}/publish", new { })).EnsureSuccessStatusCode();

        var storage = factory.JobStorage();
        var rematch = await WaitForAsync(() => storage.GetMonitoringApi().SucceededJobs(0, 50)
            .Concat(storage.GetMonitoringApi().ProcessingJobs(0, 50).Select(j => new KeyValuePair<string, Hangfire.Storage.Monitoring.SucceededJobDto>(j.Key, new() { Job = j.Value.Job })))
            .Where(j => j.Value.Job?.Type == typeof(Marketplace.Jobs.RematchJob) && Equals(j.Value.Job.Args[0], "challenge published"))
            .Select(j => j.Key).FirstOrDefault());
        var details = await storage.WaitForFinalStateAsync(rematch);
        Assert.Equal("Succeeded", details.History[0].StateName);
        Assert.True(details.Properties.ContainsKey("Progress"), "The rematch job reports its progress as a job parameter.");
        // It ends at the last stage, with every challenge to rank ranked (indexing and re-ranker training come before).
        Assert.Equal("\"completed\"", details.Properties["Stage"]);
        var done = details.Properties["Progress"].Trim('"').Split(" / ");
        Assert.Equal(done[1], done[0]);
        Assert.NotEqual("0", done[1]);
        await using (var db = await factory.Database.Connections.OpenAsync())
        {
            Assert.True(await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM match_results WHERE challenge_id = @Id", new { Id = challengeId }) > 0,
                "The rematch stored the new challenge's suggestions.");
        }

        var browser = await factory.SignedInBrowserAsync(LifecycleTestKit.Officer);
        var page = await browser.GetStringAsync($"/hangfire/jobs/details/{rematch}");
        Assert.Contains("data-testid=\"match-progress\"", page, StringComparison.Ordinal);
        Assert.Contains("completed, " + string.Join(" / ", done), page, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(MarketplaceFactory factory, HttpClient staff, string job)
    {
        using var response = await staff.PostAsync($"/api/v1/jobs/{job}", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("jobId").GetString()!;
        var details = await factory.JobStorage().WaitForFinalStateAsync(id);
        Assert.Equal("Succeeded", details.History[0].StateName);
        return details.History[0].Data.TryGetValue("Result", out var result) ? result : "";
    }

    private static async Task<string> StatusAsync(MarketplaceFactory factory, long challengeId)
    {
        await using var connection = await factory.Database.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT status FROM challenges WHERE id = @Id", new { Id = challengeId }) ?? "";
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < until, "Timed out waiting.");
            await Task.Delay(200);
        }
    }

    private sealed class RetryOnceJobsFactory : JobsFactory
    {
        private readonly CapturingLoggerProvider _log = new();

        public IReadOnlyList<(string Category, LogLevel Level, string Message, Exception? Exception)> Logged => _log.Entries.ToList();

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Jobs:RetryAttempts", "1");
            builder.UseSetting("Jobs:RetryDelaySeconds", "0");
            builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(_log));
        }
    }

    /// <summary>Keeps every log entry of the app in memory, for assertions.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Capturing(string category, ConcurrentQueue<(string, LogLevel, string, Exception?)> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                sink.Enqueue((category, logLevel, formatter(state, exception), exception));
        }
    }
}

/// <summary>Throws on its first <c>failures</c> runs for a key, then succeeds; counts every attempt.</summary>
public static class FlakyJob
{
    public static ConcurrentDictionary<string, int> Attempts { get; } = new();

    public static void Run(string key, int failures)
    {
        var attempt = Attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (attempt <= failures)
        {
            throw new InvalidOperationException($"Attempt {attempt} fails on purpose.");
        }
    }
}
