using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Notifications;
using Marketplace.Data.Challenges;
using Marketplace.Data.Clarifications;
using Marketplace.Core.Features.Notifications;
using Marketplace.Data.Tests.Lifecycle;
using Marketplace.Testing;

namespace Marketplace.Data.Tests.Reminders;

/// <summary>"The deadline is near": sent once to the vendors following a challenge, inside the reminder window only.</summary>
public sealed class DeadlineReminderTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task DeadlineNear_RemindsFollowingVendorsOnce_WithinTheWindow(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var id = await h.PublishedChallengeAsync(openFor: TimeSpan.FromDays(5));
        await LifecycleHarness.Succeeds(h.Run(h.Get<AskQuestion>(), h.Vendor, new AskQuestionRequest(id, "Is the line running on weekends?")));
        var reminders = h.Get<DueReminders>();

        var tooEarly = await reminders.SendDueAsync(None);
        h.Clock.Advance(TimeSpan.FromDays(2.5));
        var inWindow = await reminders.SendDueAsync(None);
        var again = await reminders.SendDueAsync(None);

        Assert.Equal(0, tooEarly);
        Assert.Equal(1, inWindow);
        Assert.Equal(0, again);
        Assert.Equal([NotificationKinds.DeadlineNear], await h.NotificationKindsForAsync(h.Vendor.UserId));
        Assert.Empty(await h.NotificationKindsForAsync(h.OtherVendor.UserId));
        Assert.DoesNotContain(NotificationKinds.DeadlineNear, await h.NotificationKindsForAsync(h.Enterprise.UserId));

        await using var connection = await h.Database.Connections.OpenAsync();
        var body = await connection.ExecuteScalarAsync<string>(
            "SELECT body FROM notifications WHERE recipient_user_id = @UserId AND kind = @Kind", new { h.Vendor.UserId, Kind = NotificationKinds.DeadlineNear });
        var deadline = (await h.Get<ChallengeStore>().FindAsync(id, None))!.DeadlineAt;
        // Registered users read Chinese by default: the deadline is in Beijing time.
        Assert.Contains(DueReminders.DeadlineText(deadline, english: false), body, StringComparison.Ordinal);
        Assert.Equal(1, await h.CountAsync("SELECT COUNT(*) FROM notification_reminders WHERE kind = 'deadline_near' AND recipients = 1"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task CatchUp_PastTheDeadline_ClosesWithoutALateReminder(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var id = await h.PublishedChallengeAsync(openFor: TimeSpan.FromDays(5));
        await LifecycleHarness.Succeeds(h.Run(h.Get<AskQuestion>(), h.Vendor, new AskQuestionRequest(id, "Is the line running on weekends?")));

        h.Clock.Advance(TimeSpan.FromDays(6));
        await h.Get<LifecycleClockWork>().RunAsync(None);

        // No proposal arrived, so it ended without an award; the vendor who asked hears it closed, and gets no late reminder.
        Assert.Equal(ChallengeStatus.NotAwarded, (await h.Get<ChallengeStore>().FindAsync(id, None))!.Status);
        Assert.Equal([NotificationKinds.ChallengeClosed], await h.NotificationKindsForAsync(h.Vendor.UserId));
        Assert.Equal(0, await h.CountAsync("SELECT COUNT(*) FROM notification_reminders"));
    }

    [Fact]
    public void DeadlineText_IsBeijingTimeInChinese_AndUtcInEnglish()
    {
        var deadline = new DateTimeOffset(2026, 12, 31, 16, 30, 0, TimeSpan.Zero);

        Assert.Equal("2027-01-01 00:30（北京时间）", DueReminders.DeadlineText(deadline, english: false));
        Assert.Equal("2026-12-31 16:30 UTC", DueReminders.DeadlineText(deadline, english: true));
    }
}
