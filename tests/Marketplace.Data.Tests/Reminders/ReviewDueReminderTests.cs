using Dapper;
using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Features.Notifications;
using Marketplace.Core.Features.Reviews;
using Marketplace.Core.Notifications;
using Marketplace.Core.Reviews;
using Marketplace.Data.Reviews;
using Marketplace.Data.Tests.Proposals;
using Marketplace.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Data.Tests.Reminders;

/// <summary>"Reviews due": an assignment's scores are due a set time after it is made; the reviewer is reminded before, and again (with the officers) once overdue.</summary>
public sealed class ReviewDueReminderTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task ReviewDue_RemindsTheReviewerBeforeAndWhenOverdue_OnceEach_UntilScored(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        await h.GrantRoleAsync(h.OfficerUser, Roles.Officer);
        Assert.True((await h.SubmitAsync()).IsSuccess);
        Assert.True((await h.SubmitAsync(h.OtherVendorUser)).IsSuccess);
        h.PassTheDeadline();
        var assignedAt = h.Clock.GetUtcNow();
        var (made, reviewer) = await h.AssignAReviewerAsync();
        var reminders = h.Services.GetRequiredService<DueReminders>();

        // Due ten days (ReviewOptions' default) after the assignment; reminded from 48 hours before.
        await using (var connection = await h.Database.Connections.OpenAsync())
        {
            var due = await connection.QueryAsync<DateTimeOffset>("SELECT due_at FROM review_assignments WHERE challenge_id = @Id", new { Id = h.ChallengeId });
            Assert.All(due, d => Assert.Equal(new ReviewOptions().ScoresDueAt(assignedAt), d));
        }

        var early = await reminders.SendReviewRemindersAsync(None);
        h.Clock.Advance(TimeSpan.FromDays(8.5));
        var beforeDue = await reminders.SendReviewRemindersAsync(None);
        var again = await reminders.SendReviewRemindersAsync(None);
        h.Clock.Advance(TimeSpan.FromDays(2));
        var overdue = await reminders.SendReviewRemindersAsync(None);
        var overdueAgain = await reminders.SendReviewRemindersAsync(None);

        Assert.Equal((0, 1, 0, 1, 0), (early, beforeDue, again, overdue, overdueAgain));
        await using var db = await h.Database.Connections.OpenAsync();
        var toReviewer = (await db.QueryAsync<string>(
            "SELECT body FROM notifications WHERE recipient_user_id = @User AND kind = @Kind ORDER BY id", new { User = reviewer.UserId, Kind = NotificationKinds.ReviewDue })).ToList();
        Assert.Equal(2, toReviewer.Count);
        Assert.Contains("待评分方案 2 份", toReviewer[0], StringComparison.Ordinal);
        // The reason line (the body's last) says whether the due date has passed.
        Assert.EndsWith("（已逾期）", toReviewer[1], StringComparison.Ordinal);
        Assert.EndsWith("（北京时间）", toReviewer[0], StringComparison.Ordinal);
        // Once overdue, the officers hear of it as well.
        Assert.Equal(1, await db.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM notifications WHERE recipient_user_id = @User AND kind = @Kind", new { User = h.OfficerUser, Kind = NotificationKinds.ReviewDue }));
        Assert.Equal(2, made.Assigned.Count);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task ReviewDue_ScoredAssignments_AreNotReminded(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        Assert.True((await h.SubmitAsync()).IsSuccess);
        h.PassTheDeadline();
        await h.ReviewAllAsync();
        var reminders = h.Services.GetRequiredService<DueReminders>();

        h.Clock.Advance(TimeSpan.FromDays(30));

        Assert.Equal(0, await reminders.SendReviewRemindersAsync(None));
        Assert.Empty(await h.Services.GetRequiredService<IReminderStore>().DueReviewsAsync(h.Clock.GetUtcNow(), None));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task ReviewDue_CountsOnlyTheProposalsStillToScore(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        Assert.True((await h.SubmitAsync()).IsSuccess);
        Assert.True((await h.SubmitAsync(h.OtherVendorUser)).IsSuccess);
        h.PassTheDeadline();
        var (made, reviewer) = await h.AssignAReviewerAsync();
        var runner = h.Services.GetRequiredService<UseCaseRunner>();
        var scoredOne = made.Assigned[0].AssignmentId;
        Assert.True((await runner.RunAsync(h.Services.GetRequiredService<AcceptAssignment>(), reviewer, new AssignmentAnswer(scoredOne), None)).IsSuccess);
        var rubric = await h.Services.GetRequiredService<ReviewStore>().CriteriaAsync(h.ChallengeId, None);
        var saved = await runner.RunAsync(h.Services.GetRequiredService<RecordScores>(), reviewer,
            new ScoreSheet(scoredOne, rubric.Select(c => new ScoreInput { CriterionId = c.Id, Score = 6, Comment = "Adequate." }).ToList()), None);
        Assert.True(saved.IsSuccess, saved.Error?.Message);

        h.Clock.Advance(TimeSpan.FromDays(9));

        var due = await h.Services.GetRequiredService<IReminderStore>().DueReviewsAsync(h.Clock.GetUtcNow().AddHours(48), None);
        Assert.Equal([(reviewer.UserId, h.ChallengeId, 1)], due.Select(d => (d.ReviewerUserId, d.ChallengeId, d.Proposals)));
    }
}
