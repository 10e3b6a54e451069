using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Organisations;
using Marketplace.Core.Vendors;
using Marketplace.Data.Matching;
using Marketplace.Data.Vendors;
using Marketplace.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Marketplace.Data.Tests.Matching;

public sealed class MatchmakerTests
{
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task FirstRefresh_StoresRankedSuggestionsForEveryOpenChallenge_AndRecordsTheRun(string engine)
    {
        await using var world = await World.CreateAsync(engine);

        var runId = await world.Matchmaker.RefreshAsync("test");

        Assert.NotNull(runId);
        var weld = await world.Store.SuggestionsForChallengeAsync(world.WeldChallenge, CancellationToken.None);
        var routes = await world.Store.SuggestionsForChallengeAsync(world.RouteChallenge, CancellationToken.None);
        Assert.Equal(world.VisionVendor, weld[0].VendorId);
        Assert.Equal(world.RoutingVendor, routes[0].VendorId);
        // A vendor with nothing in common with a challenge is not suggested at all.
        Assert.Equal([world.VisionVendor], weld.Select(s => s.VendorId));
        Assert.Equal(1, weld[0].Rank);
        Assert.InRange(weld[0].Score, 0.01, 1.0);
        Assert.NotEmpty(weld[0].Reasons.Terms);
        Assert.Empty(await world.Store.SuggestionsForChallengeAsync(world.ClosedChallenge, CancellationToken.None));
        var run = await world.Store.LatestRunAsync(CancellationToken.None);
        Assert.Equal(("completed", 2, 2), (run!.Status, run.Challenges, run.Vendors));
    }

    [Fact]
    public async Task Refresh_ReportsEachStage_IndexingThenTrainingThenRanking_InOrder_AndEndsCompleted()
    {
        await using var world = await World.CreateAsync(TestEngines.Sqlite);
        var reports = new List<MatchProgress>();

        var runId = await world.Matchmaker.RefreshAsync("test", new CollectingProgress(reports));

        Assert.All(reports, r => Assert.Equal(runId, r.RunId));
        // Stages appear in order, none skipped, none revisited.
        var stages = reports.Select(r => r.Stage).Distinct().ToList();
        Assert.Equal([MatchStages.Indexing, MatchStages.Training, MatchStages.Ranking, MatchStages.Completed], stages);
        Assert.Equal(stages, reports.Select(r => r.Stage).Where((s, i) => i == 0 || reports[i - 1].Stage != s));
        // Indexing: 2 vendors + the open challenges; ranking counts up to the open challenges (2), never past its total.
        Assert.Equal((0, 4), reports.Where(r => r.Stage == MatchStages.Indexing).Select(r => (r.Done, r.Total)).First());
        Assert.Equal((4, 4), reports.Where(r => r.Stage == MatchStages.Indexing).Select(r => (r.Done, r.Total)).Last());
        Assert.Equal([(0, 1), (1, 1)], reports.Where(r => r.Stage == MatchStages.Training).Select(r => (r.Done, r.Total)));
        Assert.All(reports.Where(r => r.Stage == MatchStages.Ranking), r => Assert.InRange(r.Done, 0, r.Total));
        Assert.Equal((2, 2), (reports[^1].Done, reports[^1].Total));
    }

    /// <summary>Records reports as they come (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class CollectingProgress(List<MatchProgress> reports) : IProgress<MatchProgress>
    {
        public void Report(MatchProgress value) => reports.Add(value);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Refresh_WithNothingChanged_DoesNothing_ButAChangedVendorIsReRanked(string engine)
    {
        await using var world = await World.CreateAsync(engine);
        await world.Matchmaker.RefreshAsync("first");

        var idle = await world.Matchmaker.RefreshAsync("idle");
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.SaveVendorAsync(world.RoutingVendor, "Weld seam X-ray inspection with deep learning; weld defects, porosity and cracks in steel welds.", ["defect-detection", "computer-vision"]);
        var changed = await world.Matchmaker.RefreshAsync("changed");

        Assert.Null(idle);
        Assert.NotNull(changed);
        var weld = await world.Store.SuggestionsForChallengeAsync(world.WeldChallenge, CancellationToken.None);
        Assert.Equal(world.RoutingVendor, weld[0].VendorId);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AChallengeWhoseDeadlinePasses_LeavesTheIndexAndItsSuggestionsAreRemoved(string engine)
    {
        await using var world = await World.CreateAsync(engine);
        await world.Matchmaker.RefreshAsync("first");

        world.Clock.Advance(TimeSpan.FromDays(11));
        await world.Matchmaker.RefreshAsync("later");

        Assert.Empty(await world.Store.SuggestionsForChallengeAsync(world.RouteChallenge, CancellationToken.None));
        Assert.NotEmpty(await world.Store.SuggestionsForChallengeAsync(world.WeldChallenge, CancellationToken.None));
        Assert.DoesNotContain(await world.Matchmaker.RecommendedChallengesAsync(world.RoutingVendor, 10), m => m.Id == MatchStore.ChallengeKey(world.RouteChallenge));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AConfidentialChallenge_EntersTheVendorFacingIndexWithItsTitleAndTagsOnly(string engine)
    {
        await using var world = await World.CreateAsync(engine);
        var secret = await world.Data.ChallengeAsync(world.Enterprise, c => c with
        {
            Title = "Furnace silicon prediction",
            Visibility = "confidential",
            Scenario = "zirconium tellurium confidential words",
            Tags = ["soft-sensor"],
            DeadlineAt = world.Clock.GetUtcNow().AddDays(30),
        });

        var publicView = (await world.Store.ChallengeDocumentsAsync([secret], fullText: false, CancellationToken.None)).Single();
        var fullView = (await world.Store.ChallengeDocumentsAsync([secret], fullText: true, CancellationToken.None)).Single();
        await world.Matchmaker.RefreshAsync("first");
        var recommended = await world.Matchmaker.RecommendedChallengesAsync(world.VisionVendor, 10);

        Assert.Equal("", publicView.Description);
        Assert.Empty(publicView.AcceptanceTargets);
        Assert.Contains("zirconium", fullView.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(recommended.SelectMany(r => r.Explanation.TopTerms), t => t.Term.Contains("zirconium", StringComparison.Ordinal));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Signals_AreRecordedAndShownAsTheLatestDecision(string engine)
    {
        await using var world = await World.CreateAsync(engine);
        await world.Matchmaker.RefreshAsync("first");

        await world.Store.RecordSignalAsync(world.WeldChallenge, world.VisionVendor, "shortlisted", null, CancellationToken.None);
        await world.Store.RecordSignalAsync(world.WeldChallenge, world.VisionVendor, "invited", null, CancellationToken.None);

        var weld = await world.Store.SuggestionsForChallengeAsync(world.WeldChallenge, CancellationToken.None);
        var routes = await world.Store.SuggestionsForChallengeAsync(world.RouteChallenge, CancellationToken.None);
        Assert.Equal("invited", weld.Single(s => s.VendorId == world.VisionVendor).LatestSignal);
        Assert.Null(routes.Single(s => s.VendorId == world.RoutingVendor).LatestSignal);
        Assert.Equal(2, (await world.Store.SignalsAsync(CancellationToken.None)).Count);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task WithFewDecisions_TheTextScoreStands_AndTheRunSaysWhy(string engine)
    {
        await using var world = await World.CreateAsync(engine);
        await world.Store.RecordSignalAsync(world.WeldChallenge, world.VisionVendor, "invited", null, CancellationToken.None);

        await world.Matchmaker.RefreshAsync("first");

        var run = await world.Store.LatestRunAsync(CancellationToken.None);
        Assert.Equal("text", run!.Ranker);
        Assert.Contains("needed", run.Message, StringComparison.Ordinal);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task ARunKilledMidway_IsEndedAsInterrupted_ByTheNextRun_WhileALiveInstancesRunIsLeftAlone(string engine)
    {
        await using var world = await World.CreateAsync(engine);
        var now = world.Clock.GetUtcNow();
        await using (var connection = await world.Database.Connections.OpenAsync())
        {
            // What kill -9 mid-refresh leaves: a run 'running' whose heartbeat stopped an hour ago; and another
            // instance's run that reported progress a minute ago.
            foreach (var (reason, heartbeat) in new[] { ("killed", now.AddHours(-1)), ("live elsewhere", now.AddMinutes(-1)) })
            {
                await connection.ExecuteAsync(
                    "INSERT INTO match_runs (reason, status, started_at, heartbeat_at) VALUES (@Reason, 'running', @Started, @Heartbeat)",
                    new { Reason = reason, Started = now.AddHours(-2), Heartbeat = heartbeat });
            }
        }

        Assert.NotNull(await world.Matchmaker.RefreshAsync("after restart"));

        await using var db = await world.Database.Connections.OpenAsync();
        var runs = (await db.QueryAsync<(string Reason, string Status, string? Message)>(
            "SELECT reason AS Reason, status AS Status, message AS Message FROM match_runs ORDER BY id")).ToList();
        Assert.Equal(("killed", "failed", MatchStore.InterruptedMessage), runs[0]);
        Assert.Equal(("live elsewhere", "running"), (runs[1].Reason, runs[1].Status));
        Assert.Equal(("after restart", "completed"), (runs[2].Reason, runs[2].Status));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Refresh_CancelledMidway_LeavesNoRunRunning_AndTheNextRefreshCompletes(string engine)
    {
        await using var world = await World.CreateAsync(engine);
        using var cancel = new CancellationTokenSource();
        // The store reads the clock for the open challenges, to start the run, then to store the first challenge's
        // suggestions: cancel there, with the run recorded and the ranking under way.
        var clock = new CancellingClock(world.Clock, cancel, cancelOnCall: 3);
        using var matchmaker = new Matchmaker(new MatchStore(world.Database.Connections, clock), NullLogger<Matchmaker>.Instance);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => matchmaker.RefreshAsync("cancelled", cancel.Token));

        await using (var connection = await world.Database.Connections.OpenAsync())
        {
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM match_runs"));
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM match_runs WHERE status = 'running'"));
        }

        var stopped = await world.Store.LatestRunAsync(CancellationToken.None);
        Assert.Equal(("failed", Matchmaker.CancelledMessage), (stopped!.Status, stopped.Message));
        Assert.NotNull(stopped.FinishedAt);

        Assert.NotNull(await matchmaker.RefreshAsync("again"));
        Assert.Equal("completed", (await world.Store.LatestRunAsync(CancellationToken.None))!.Status);
        Assert.Equal(world.VisionVendor, (await world.Store.SuggestionsForChallengeAsync(world.WeldChallenge, CancellationToken.None))[0].VendorId);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Documents_ForMoreIdsThanOneStatementMayCarry_AreReadInSlices(string engine)
    {
        await using var world = await World.CreateAsync(engine);
        // More than SQL Server's 2,100 parameters and SQLite's 32,766 variables: one IN list of these would fail on both.
        var unknown = Enumerable.Range(1_000_000, 33_000).Select(i => (long)i).ToList();

        var vendors = await world.Store.VendorDocumentsAsync([world.VisionVendor, .. unknown, world.RoutingVendor], CancellationToken.None);
        var challenges = await world.Store.ChallengeDocumentsAsync([.. unknown, world.WeldChallenge, world.RouteChallenge], fullText: true, CancellationToken.None);

        Assert.True(unknown.Count > 2 * MatchStore.IdsPerStatement);
        Assert.Equal(
            new[] { MatchStore.VendorKey(world.VisionVendor), MatchStore.VendorKey(world.RoutingVendor) }.Order(StringComparer.Ordinal),
            vendors.Select(v => v.Id).Order(StringComparer.Ordinal));
        Assert.Contains(vendors, v => v.Id == MatchStore.VendorKey(world.VisionVendor) && v.Tags.Contains("computer-vision"));
        Assert.Equal(
            new[] { MatchStore.ChallengeKey(world.WeldChallenge), MatchStore.ChallengeKey(world.RouteChallenge) }.Order(StringComparer.Ordinal),
            challenges.Select(c => c.Id).Order(StringComparer.Ordinal));
    }

    /// <summary>A clock that cancels a token when it is read for the n-th time: a way to stop a refresh at a known step.</summary>
    private sealed class CancellingClock(TimeProvider inner, CancellationTokenSource cancel, int cancelOnCall) : TimeProvider
    {
        private int _calls;

        public override DateTimeOffset GetUtcNow()
        {
            if (Interlocked.Increment(ref _calls) == cancelOnCall)
            {
                cancel.Cancel();
            }

            return inner.GetUtcNow();
        }
    }

    /// <summary>Two open challenges (weld inspection, cold-chain routes), one closed, and two vendors that fit one each.</summary>
    private sealed class World : IAsyncDisposable
    {
        private World(TestDatabase database)
        {
            Database = database;
            Data = new TestData(database);
            Store = new MatchStore(database.Connections, Clock);
            Vendors = new VendorStore(database.Connections, Clock);
            Matchmaker = new Matchmaker(Store, NullLogger<Matchmaker>.Instance);
        }

        public TestDatabase Database { get; }
        public TestData Data { get; }
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
        public MatchStore Store { get; }
        public VendorStore Vendors { get; }
        public Matchmaker Matchmaker { get; }
        public long Enterprise { get; private set; }
        public long WeldChallenge { get; private set; }
        public long RouteChallenge { get; private set; }
        public long ClosedChallenge { get; private set; }
        public long VisionVendor { get; private set; }
        public long RoutingVendor { get; private set; }

        public static async Task<World> CreateAsync(string engine)
        {
            var world = new World(await TestDatabase.CreateAsync(engine));
            var now = world.Clock.GetUtcNow();
            world.Enterprise = await world.Data.OrganisationAsync();
            world.WeldChallenge = await world.Data.ChallengeAsync(world.Enterprise, c => c with
            {
                Title = "Weld seam X-ray defect inspection",
                Scenario = "Detect porosity, cracks and lack of fusion in X-ray images of steel weld seams on our pipe line.",
                Tags = ["defect-detection", "computer-vision"],
                DeadlineAt = now.AddDays(40),
            });
            world.RouteChallenge = await world.Data.ChallengeAsync(world.Enterprise, c => c with
            {
                Title = "Cold-chain delivery route planning",
                Scenario = "Plan refrigerated truck routes to 300 pharmacies a day within delivery windows and temperature limits.",
                Tags = ["route-optimization", "supply-chain"],
                DeadlineAt = now.AddDays(10),
            });
            world.ClosedChallenge = await world.Data.ChallengeAsync(world.Enterprise, c => c with
            {
                Title = "Old weld challenge",
                Status = ChallengeStatus.Closed,
                DeadlineAt = now.AddDays(-5),
            });
            world.VisionVendor = await world.Data.OrganisationAsync(OrganisationKind.Vendor, "Vision Co");
            world.RoutingVendor = await world.Data.OrganisationAsync(OrganisationKind.Vendor, "Routing Co");
            await world.SaveVendorAsync(world.VisionVendor, "Deep learning inspection of X-ray images: weld seam porosity and crack detection for steel pipes.", ["defect-detection", "computer-vision"]);
            await world.SaveVendorAsync(world.RoutingVendor, "Vehicle routing for refrigerated cold-chain fleets with delivery time windows.", ["route-optimization", "supply-chain"]);
            return world;
        }

        public async Task SaveVendorAsync(long id, string summary, IReadOnlyList<string> tags)
        {
            await using var connection = await Database.Connections.OpenAsync();
            await Vendors.SaveProfileAsync(connection, null, new VendorProfileUpdate(id, "en", summary, 7, tags, ["machinery"]), CancellationToken.None);
        }

        public async ValueTask DisposeAsync()
        {
            Matchmaker.Dispose();
            await Database.DisposeAsync();
        }
    }
}
