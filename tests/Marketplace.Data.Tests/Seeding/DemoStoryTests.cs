using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Delivery;
using Marketplace.Core.Reviews;
using Marketplace.Data.Accounts;
using Marketplace.Data.Challenges;
using Marketplace.Data.Organisations;
using Marketplace.Data.Reviews;
using Marketplace.Data.Seeding;
using Marketplace.Data.Vendors;
using Marketplace.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Marketplace.Data.Tests.Seeding;

/// <summary>
/// seeds/demo/story.json played into a fresh database: a challenge in every later state with what each state needs,
/// every step taken through the use cases (the audit log has it, in the story's past), and a second seeding adds nothing.
/// </summary>
public sealed class DemoStoryTests
{
    private static readonly string DemoFolder = Path.Combine(TestPaths.RepositoryRoot, "seeds", "demo");
    private static readonly Lazy<DemoSeedData> Demo = new(() => DemoSeedData.Load(DemoFolder));

    // The day of seeding (the app's clock): the story runs in the months before it.
    private static readonly DateTimeOffset SeededAt = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Story_HasAChapterForEveryLaterState_AndQuestionsLeftForTheEnterprise()
    {
        var story = Demo.Value.Story;

        Assert.NotNull(story);
        Assert.Equal(SeedStory.States.Order(), story.Chapters.Select(c => c.State).Distinct().Order());
        Assert.Contains(story.Questions ?? [], q => q.Answer is null);
        Assert.Contains(story.Chapters, c => Demo.Value.Challenges.Single(x => x.Key == c.Challenge).Language == "en");
        Assert.Contains(story.Chapters, c => Demo.Value.Challenges.Single(x => x.Key == c.Challenge).Language == "zh");
    }

    [Fact]
    public void StoryClock_MovesOnlyForward_AndNotPastTheMomentOfSeeding()
    {
        var clock = new StoryClock(SeededAt.AddDays(-10), SeededAt);
        clock.AdvanceTo(SeededAt.AddDays(-2), "a step");

        Assert.Equal(SeededAt.AddDays(-2), clock.GetUtcNow());
        Assert.Contains("goes back in time at 'earlier'", Assert.Throws<SeedDataException>(() => clock.AdvanceTo(SeededAt.AddDays(-3), "earlier")).Message, StringComparison.Ordinal);
        Assert.Contains("past the moment of seeding", Assert.Throws<SeedDataException>(() => clock.AdvanceTo(SeededAt.AddHours(1), "tomorrow")).Message, StringComparison.Ordinal);
        Assert.Equal(SeededAt.AddDays(-2), clock.GetUtcNow());
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task SeedingTheDemo_PlaysTheStoryThroughTheUseCases_Once(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var services = Services(database);

        var first = await SeedAsync(services);
        var snapshot = await SnapshotAsync(database);
        var second = await SeedAsync(services);

        Assert.True(first.Seeded);
        Assert.Contains("6 story chapters played", first.Summary, StringComparison.Ordinal);
        Assert.False(second.Seeded, second.Summary);
        Assert.Equal(snapshot, await SnapshotAsync(database));

        await using var connection = await database.Connections.OpenAsync();
        var ids = new Dictionary<string, long>();
        foreach (var chapter in Demo.Value.Story!.Chapters)
        {
            var title = Demo.Value.Challenges.Single(c => c.Key == chapter.Challenge).Title;
            ids[chapter.State] = await connection.ExecuteScalarAsync<long>("SELECT id FROM challenges WHERE title = @Title", new { Title = title });
        }

        // Bids in: closed at its deadline with several sealed proposals, no reviewer yet.
        Assert.Equal(ChallengeStatus.Closed, await StatusAsync(connection, ids["bids-in"]));
        Assert.True(await CountAsync(connection, "SELECT COUNT(*) FROM proposals WHERE challenge_id = @Id AND status = 'submitted'", ids["bids-in"]) >= 3);
        Assert.Equal(0, await CountAsync(connection, "SELECT COUNT(*) FROM review_assignments WHERE challenge_id = @Id", ids["bids-in"]));

        // Under review: scores recorded, a disagreement flagged by the review rule, the demo reviewer with open assignments.
        Assert.Equal(ChallengeStatus.UnderReview, await StatusAsync(connection, ids["under-review"]));
        var scores = await new ReviewStore(database.Connections).ScoresAsync(ids["under-review"], CancellationToken.None);
        Assert.Contains(scores.Aggregate, a => a.HasDisagreement);
        var demoReviewer = Demo.Value.Programme.Reviewers[0].Email;
        Assert.True(await connection.ExecuteScalarAsync<int>(
            """
            SELECT COUNT(*) FROM review_assignments a JOIN users u ON u.id = a.reviewer_user_id
            WHERE u.email = @Email AND a.status IN ('assigned', 'accepted') AND a.challenge_id = @Id
              AND NOT EXISTS (SELECT 1 FROM review_scores s WHERE s.assignment_id = a.id)
            """, new { Email = demoReviewer, Id = ids["under-review"] }) >= 2);

        // Awarded: a winner and written feedback for every other bidder.
        Assert.Equal(ChallengeStatus.Awarded, await StatusAsync(connection, ids["awarded"]));
        Assert.Equal(1, await CountAsync(connection, "SELECT COUNT(*) FROM award_winners WHERE challenge_id = @Id", ids["awarded"]));
        Assert.Equal(2, await CountAsync(connection, "SELECT COUNT(*) FROM award_feedback WHERE challenge_id = @Id", ids["awarded"]));

        // In delivery: one milestone waiting for the enterprise's acceptance, one overdue by the delivery rule.
        Assert.Equal(ChallengeStatus.InDelivery, await StatusAsync(connection, ids["in-delivery"]));
        var milestones = (await connection.QueryAsync<MilestoneRow>(
            "SELECT m.status AS Status, m.due_on AS DueOn FROM delivery_milestones m JOIN delivery_projects p ON p.id = m.project_id WHERE p.challenge_id = @Id",
            new { Id = ids["in-delivery"] })).ToList();
        var today = DateOnly.FromDateTime(SeededAt.UtcDateTime);
        Assert.Contains(milestones, m => m.Status == MilestoneStatus.EvidenceSubmitted);
        Assert.Contains(milestones, m => MilestoneWorkflow.IsOverdue(m.Status, m.DueOn, today) && m.Status == MilestoneStatus.Pending);
        Assert.Contains(milestones, m => m.Status == MilestoneStatus.Accepted);

        // Completed, with the vendor's new portfolio case; failed, with its failure filing (失败备案).
        Assert.Equal(ChallengeStatus.Completed, await StatusAsync(connection, ids["completed"]));
        Assert.Equal(1, await CountAsync(connection, "SELECT COUNT(*) FROM portfolio_consents c JOIN delivery_projects p ON p.id = c.project_id WHERE p.challenge_id = @Id AND c.portfolio_case_id IS NOT NULL", ids["completed"]));
        Assert.Equal(ChallengeStatus.Failed, await StatusAsync(connection, ids["failed"]));
        Assert.Equal(1, await CountAsync(connection, "SELECT COUNT(*) FROM failure_filings f JOIN delivery_projects p ON p.id = f.project_id WHERE p.challenge_id = @Id AND f.category = 'data'", ids["failed"]));

        // Every step went through the use cases: the audit log holds the moves, by people, in the story's past.
        var audit = (await connection.QueryAsync<AuditRow>(
            "SELECT challenge_id AS ChallengeId, action AS Action, actor_user_id AS Actor, occurred_at AS At FROM challenge_audit")).ToList();
        string[] always = [ChallengeActions.Created, ChallengeActions.SubmittedForScreening, ChallengeActions.Published, ChallengeActions.Closed];
        Assert.All(ids.Values, id => Assert.All(always, action => Assert.Contains(audit, a => a.ChallengeId == id && a.Action == action)));
        Assert.Contains(audit, a => a.ChallengeId == ids["under-review"] && a.Action == ReviewActions.ReviewerAssigned && a.Actor is not null);
        Assert.Contains(audit, a => a.ChallengeId == ids["awarded"] && a.Action == ChallengeActions.Awarded);
        Assert.Contains(audit, a => a.ChallengeId == ids["in-delivery"] && a.Action == DeliveryActions.EvidenceSubmitted);
        Assert.Contains(audit, a => a.ChallengeId == ids["completed"] && a.Action == DeliveryActions.PortfolioConsentGranted);
        Assert.Contains(audit, a => a.ChallengeId == ids["failed"] && a.Action == ChallengeActions.Failed);
        Assert.All(audit.Where(a => ids.ContainsValue(a.ChallengeId)), a => Assert.True(
            a.At < SeededAt, $"{a.Action} at {a.At}"));

        // The enterprise has questions to answer on an open challenge loaded as published.
        Assert.True(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM challenge_questions WHERE answer IS NULL") >= 2);
    }

    private sealed record MilestoneRow
    {
        public string Status { get; init; } = "";
        public DateOnly DueOn { get; init; }
    }

    private sealed record AuditRow
    {
        public long ChallengeId { get; init; }
        public string Action { get; init; } = "";
        public long? Actor { get; init; }
        public DateTimeOffset At { get; init; }
    }

    private static Task<string> StatusAsync(System.Data.Common.DbConnection connection, long id) =>
        connection.ExecuteScalarAsync<string>("SELECT status FROM challenges WHERE id = @Id", new { Id = id })!;

    private static Task<int> CountAsync(System.Data.Common.DbConnection connection, string sql, long id) =>
        connection.ExecuteScalarAsync<int>(sql, new { Id = id });

    private static async Task<SeedResult> SeedAsync(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(Demo.Value, "Demo-Password-123!");
    }

    private static ServiceProvider Services(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(database.Connections);
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(SeededAt));
        services.AddSingleton<OrganisationStore>();
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<VendorStore>();
        services.AddScoped<DemoSeeder>();
        services.AddMarketplaceAccounts();
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = 1_000);
        return services.BuildServiceProvider();
    }

    /// <summary>Rows in the tables the story writes to.</summary>
    private static async Task<string> SnapshotAsync(TestDatabase database)
    {
        await using var connection = await database.Connections.OpenAsync();
        var parts = new List<string>();
        foreach (var table in new[] { "challenges", "challenge_questions", "proposals", "proposal_versions", "review_assignments", "review_scores", "award_decisions",
                     "delivery_projects", "milestone_evidence", "milestone_decisions", "failure_filings", "portfolio_cases", "challenge_audit", "notifications" })
        {
            parts.Add(table + "=" + await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}"));
        }

        return string.Join(" ", parts);
    }
}
