using System.Net;
using Dapper;
using Hangfire;
using Marketplace.Jobs;
using Marketplace.Testing;
using Marketplace.Web.Tests.Lifecycle;

namespace Marketplace.Web.Tests.Jobs;

/// <summary>
/// The real app as separate processes: queued jobs survive `kill -9` and run exactly once after the restart, and two
/// instances on one PostgreSQL run a recurring job once per tick (Hangfire's distributed locks).
/// </summary>
public sealed class JobDurabilityTests
{
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task QueuedJobs_SurviveKillDashNine_AndRunExactlyOnceAfterRestart(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        var jobIds = new Dictionary<string, string>();

        // An instance without workers takes the requests, then dies without any shutdown.
        await using (var first = await AppProcess.StartAsync(database.Options, server: false))
        {
            using var admin = await first.ApiClientAsync(LifecycleTestKit.Admin);
            foreach (var name in JobCatalog.Named.Keys)
            {
                using var response = await admin.PostAsync($"/api/v1/jobs/{name}", null);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                jobIds[name] = (await response.JsonAsync()).GetProperty("jobId").GetString()!;
            }

            // The kill is aimed at the queued jobs, not at the matcher's start-up warm-up: let that finish first (a
            // refresh killed half-way leaves its match run "running"; see the closing note of issue #9).
            var until = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                await using var probe = await database.Connections.OpenAsync();
                if (await probe.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM match_runs WHERE status = 'completed'") > 0)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < until, "The first instance's matcher warm-up did not finish within a minute.");
                await Task.Delay(200);
            }

            first.Kill();
        }

        var storage = JobsTestKit.StorageFor(database.Options);
        Assert.All(jobIds.Values, id => Assert.Equal("Enqueued", storage.StateOf(id)));

        // Restarted with workers: every queued job runs, once.
        await using var second = await AppProcess.StartAsync(database.Options, server: true);
        foreach (var (name, id) in jobIds)
        {
            var details = await storage.WaitForFinalStateAsync(id);
            Assert.True(details.History[0].StateName == "Succeeded", $"{name}: {details.History[0].StateName} {details.History[0].Reason}\n{second.Log}");
            Assert.Equal(1, details.TimesProcessed());
        }

        // The matcher's own record: no run was left half done by the kill (each instance's start-up warm-up writes one;
        // the queued rematch then finds nothing changed).
        await using var connection = await database.Connections.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM match_runs WHERE status <> 'completed'"));
    }

    [Theory, OnEngine(TestEngines.Postgres)]
    public async Task TwoInstancesOnOnePostgres_RunARecurringJobOncePerTick(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        // Every two seconds (six-field cron, seconds first), so a few ticks pass in a short test.
        var settings = new Dictionary<string, string> { ["Jobs__LifecycleCron"] = "*/2 * * * * *" };
        var storage = JobsTestKit.StorageFor(database.Options);

        await using (var first = await AppProcess.StartAsync(database.Options, server: true, settings))
        await using (var second = await AppProcess.StartAsync(database.Options, server: true, settings))
        {
            Assert.True(storage.GetMonitoringApi().Servers().Count >= 2, "Both instances run a Hangfire server.");
            await Task.Delay(TimeSpan.FromSeconds(14));
            first.Kill();
            second.Kill();
        }

        var monitoring = storage.GetMonitoringApi();
        var ids = monitoring.SucceededJobs(0, 1000).Select(j => j.Key)
            .Concat(monitoring.ProcessingJobs(0, 1000).Select(j => j.Key))
            .Concat(monitoring.EnqueuedJobs("default", 0, 1000).Select(j => j.Key))
            .Concat(monitoring.FailedJobs(0, 1000).Select(j => j.Key))
            .Distinct()
            .ToList();
        var ticks = ids.Select(id => monitoring.JobDetails(id))
            .Where(d => d.Properties.TryGetValue("RecurringJobId", out var recurring) && recurring.Trim('"') == JobCatalog.LifecycleClock)
            .Select(d => d.Properties["Time"])
            .ToList();

        Assert.True(ticks.Count >= 3, $"Expected several ticks in 14 s, saw {ticks.Count}.");
        Assert.Equal(ticks.Count, ticks.Distinct().Count());
    }
}
