using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Features.Notifications;
using Marketplace.Core.Notifications;
using Marketplace.Data.Tests.Lifecycle;
using Marketplace.Testing;

namespace Marketplace.Data.Tests.Jobs;

/// <summary>What the background jobs rely on: follow-up requests after commit only, and the weekly digest's once-a-week rule.</summary>
public sealed class FollowUpAndDigestTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task Publishing_AsksForARematch_AfterCommit_AndARefusedMoveAsksForNothing(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);

        var id = await h.PublishedChallengeAsync();
        Assert.Equal([FollowUp.Rematch("challenge published")], h.FollowUps.Requests);

        h.FollowUps.Clear();
        var again = await h.Run(h.Get<PublishChallenge>(), h.Officer, new ChallengeMove(id));
        Assert.False(again.IsSuccess);
        Assert.Empty(h.FollowUps.Requests);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task ClosingAtTheDeadline_WithoutProposals_AsksForARematch_ButNoReviewerAssignment(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        await h.PublishedChallengeAsync(openFor: TimeSpan.FromDays(1));
        h.FollowUps.Clear();

        h.Clock.Advance(TimeSpan.FromDays(2));
        await h.Get<LifecycleClockWork>().RunAsync(None);

        // Nobody bid: it ends as not_awarded, so there is nothing to assign (with proposals the close also names the
        // challenge for the automatic assignment: JobRunTests runs that chain through the app's workers).
        Assert.Equal([FollowUp.Rematch("challenge closed")], h.FollowUps.Requests);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task WeeklyDigest_SendsEachRecommendedVendorOneDigestAWeek_OfChallengesPublishedThatWeek(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var vendorId = h.Vendor.OrganisationIds[0];
        var old = await h.PublishedChallengeAsync();
        h.Clock.Advance(TimeSpan.FromDays(8));
        var fresh = await h.PublishedChallengeAsync();
        await using (var connection = await h.Database.Connections.OpenAsync())
        {
            var runId = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO match_runs (reason, status, started_at) VALUES ('test', 'completed', @At) RETURNING id",
                new { At = h.Clock.GetUtcNow() });
            foreach (var challengeId in new[] { old, fresh })
            {
                await connection.ExecuteAsync(
                    "INSERT INTO match_results (challenge_id, vendor_id, rank, score, explanation, run_id, computed_at) VALUES (@ChallengeId, @VendorId, 1, 0.5, '{}', @RunId, @At)",
                    new { ChallengeId = challengeId, VendorId = vendorId, RunId = runId, At = h.Clock.GetUtcNow() });
            }
        }

        var digest = h.Get<WeeklyDigest>();
        var first = await digest.SendAsync(None);
        var sameWeek = await digest.SendAsync(None);
        h.Clock.Advance(TimeSpan.FromDays(7));
        var nextWeekNothingNew = await digest.SendAsync(None);

        Assert.Equal(1, first);
        Assert.Equal(0, sameWeek);
        Assert.Equal(0, nextWeekNothingNew);
        Assert.Equal([NotificationKinds.WeeklyDigest], (await h.NotificationKindsForAsync(h.Vendor.UserId)).Where(k => k == NotificationKinds.WeeklyDigest));
        Assert.DoesNotContain(NotificationKinds.WeeklyDigest, await h.NotificationKindsForAsync(h.OtherVendor.UserId));
        await using var db = await h.Database.Connections.OpenAsync();
        var body = await db.ExecuteScalarAsync<string>("SELECT body FROM notifications WHERE kind = 'weekly_digest'");
        var titles = (await db.QueryAsync<(long Id, string Title)>("SELECT id, title FROM challenges")).ToDictionary(c => c.Id, c => c.Title);
        Assert.Contains(titles[fresh], body!, StringComparison.Ordinal);
        Assert.Equal(1, (body!.Length - body.Replace("·", "", StringComparison.Ordinal).Length));
    }
}
