using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Notifications;
using Marketplace.Data.Audit;
using Marketplace.Data.Challenges;
using Marketplace.Testing;

namespace Marketplace.Data.Tests.Lifecycle;

/// <summary>
/// A challenge nobody bid on is not a dead end: at the deadline it ends without an award ("no proposals"), its
/// enterprise is told, and it can open it again with a new deadline as a new published version.
/// </summary>
public sealed class NoProposalsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task ChallengeWithoutProposals_EndsNotAwarded_ThenReopensAsANewVersion(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var id = await h.PublishedChallengeAsync(openFor: TimeSpan.FromDays(5));
        await LifecycleHarness.Succeeds(h.Run(h.Get<AskQuestion>(), h.Vendor, new AskQuestionRequest(id, "Can we visit the line?")));
        h.Clock.Advance(TimeSpan.FromDays(6));

        Assert.Equal(1, await h.Get<ChallengeCloser>().CloseDueChallengesAsync(None));
        var ended = (await h.Get<ChallengeStore>().FindAsync(id, None))!;
        Assert.Equal(ChallengeStatus.NotAwarded, ended.Status);
        Assert.Equal(ChallengeWorkflow.NoProposalsReason, ended.StatusReason);
        Assert.Contains(NotificationKinds.ChallengeClosedWithoutProposals, await h.NotificationKindsForAsync(h.Enterprise.UserId));

        // Refusals change nothing: another enterprise, a deadline in the past, no deadline at all.
        var stranger = await h.Run(h.Get<ReopenChallenge>(), h.OtherEnterprise, new ReopenChallengeRequest(id, h.Clock.GetUtcNow().AddDays(10)));
        var past = await h.Run(h.Get<ReopenChallenge>(), h.Enterprise, new ReopenChallengeRequest(id, h.Clock.GetUtcNow().AddMinutes(-1)));
        var missing = await h.Run(h.Get<ReopenChallenge>(), h.Enterprise, new ReopenChallengeRequest(id, null));
        Assert.False(stranger.IsSuccess);
        Assert.Equal(ErrorKind.Invalid, past.Error!.Kind);
        Assert.Equal(ErrorKind.Invalid, missing.Error!.Kind);
        Assert.True(past.Error.FieldErrors!.ContainsKey("deadlineAt"));
        Assert.Equal(ChallengeStatus.NotAwarded, (await h.Get<ChallengeStore>().FindAsync(id, None))!.Status);

        var newDeadline = h.Clock.GetUtcNow().AddDays(14);
        var reopened = await LifecycleHarness.Succeeds(h.Run(h.Get<ReopenChallenge>(), h.Enterprise, new ReopenChallengeRequest(id, newDeadline)));

        Assert.Equal((ChallengeStatus.NotAwarded, ChallengeStatus.Published), (reopened.From, reopened.To));
        var open = (await h.Get<ChallengeStore>().FindAsync(id, None))!;
        Assert.Equal(ChallengeStatus.Published, open.Status);
        Assert.Equal(newDeadline, open.DeadlineAt);
        Assert.Null(open.StatusReason);
        Assert.Equal(2, (await h.Get<ChallengeLifecycleStore>().VersionsAsync(id, None)).Count);
        Assert.Equal(ChallengeActions.Reopened, (await h.Get<AuditLog>().ForChallengeAsync(id, None))[^1].Action);
        Assert.Contains(NotificationKinds.ChallengeReopened, await h.NotificationKindsForAsync(h.Vendor.UserId));
        Assert.Contains(NotificationKinds.ChallengeReopened, await h.NotificationKindsForAsync(h.Officer.UserId));

        // Re-opening twice is refused (it is open now), and at the new deadline the same rule applies again.
        var twice = await h.Run(h.Get<ReopenChallenge>(), h.Enterprise, new ReopenChallengeRequest(id, newDeadline.AddDays(1)));
        Assert.Equal(ErrorKind.Conflict, twice.Error!.Kind);
        h.Clock.Advance(TimeSpan.FromDays(15));
        Assert.Equal(1, await h.Get<ChallengeCloser>().CloseDueChallengesAsync(None));
        Assert.Equal(ChallengeStatus.NotAwarded, (await h.Get<ChallengeStore>().FindAsync(id, None))!.Status);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task ChallengeLeftClosedWithoutProposals_ByAnEarlierVersion_IsEndedByTheCloser(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var id = await h.PublishedChallengeAsync(openFor: TimeSpan.FromDays(5));
        h.Clock.Advance(TimeSpan.FromDays(6));
        // Before this rule a challenge without proposals stayed "closed" for good; the next run ends it.
        await h.CountAsync("UPDATE challenges SET status = 'closed' WHERE id = @Id", new { Id = id });

        Assert.Equal(1, await h.Get<ChallengeCloser>().CloseDueChallengesAsync(None));
        Assert.Equal(ChallengeStatus.NotAwarded, (await h.Get<ChallengeStore>().FindAsync(id, None))!.Status);
        Assert.Equal(0, await h.Get<ChallengeCloser>().CloseDueChallengesAsync(None));
    }
}
