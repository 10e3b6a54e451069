using Marketplace.Data.Idempotency;
using Marketplace.Data.Tests.Lifecycle;
using Marketplace.Testing;

namespace Marketplace.Data.Tests.Idempotency;

/// <summary>
/// The life of an Idempotency-Key in the store: an unfinished claim (its process died before keeping the answer) is
/// taken over by one repeat of the same request once it is older than StaleClaimMinutes, never earlier, never by a
/// different request, never when finished; keys older than KeepHours are purged. On every engine.
/// </summary>
public sealed class IdempotencyStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly IdempotencySettings Defaults = new();

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task AnUnfinishedClaim_Is409UntilStale_ThenOneRepeatOfTheSameRequestTakesItOver(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var store = h.Get<IdempotencyStore>();
        var account = h.Vendor.UserId;

        Assert.Null(await store.ClaimAsync(account, "key-1", "hash-a", None));

        // The request that claimed it "died": nobody completes or releases it.
        h.Clock.Advance(TimeSpan.FromMinutes(Defaults.StaleClaimMinutes - 1));
        var stillRunning = await store.ClaimAsync(account, "key-1", "hash-a", None);
        Assert.NotNull(stillRunning);
        Assert.False(stillRunning.IsCompleted);

        h.Clock.Advance(TimeSpan.FromMinutes(2));
        var otherRequest = await store.ClaimAsync(account, "key-1", "hash-b", None);
        Assert.NotNull(otherRequest);
        Assert.Equal("hash-a", otherRequest.RequestHash);

        Assert.Null(await store.ClaimAsync(account, "key-1", "hash-a", None));
        // The takeover restarted the claim's clock: a repeat right after is "still running" again.
        Assert.False((await store.ClaimAsync(account, "key-1", "hash-a", None))!.IsCompleted);

        await store.CompleteAsync(account, "key-1", 201, "application/json", "/api/v1/x/1", "{}", None);
        h.Clock.Advance(TimeSpan.FromHours(Defaults.KeepHours - 1));
        var finished = await store.ClaimAsync(account, "key-1", "hash-a", None);
        Assert.Equal(201, finished!.StatusCode);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task RepeatsRacingForAStaleClaim_OnlyOneTakesItOver(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var store = h.Get<IdempotencyStore>();
        var account = h.Vendor.UserId;
        Assert.Null(await store.ClaimAsync(account, "race", "hash", None));
        h.Clock.Advance(TimeSpan.FromMinutes(Defaults.StaleClaimMinutes + 1));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.ClaimAsync(account, "race", "hash", None))));

        Assert.Single(results, r => r is null);
        Assert.All(results.Where(r => r is not null), r => Assert.False(r!.IsCompleted));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task Purge_DeletesKeysOlderThanKeepHours_FinishedOrNot_AndKeepsTheRest(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var store = h.Get<IdempotencyStore>();
        var account = h.Vendor.UserId;

        Assert.Null(await store.ClaimAsync(account, "old-finished", "h1", None));
        await store.CompleteAsync(account, "old-finished", 201, "application/json", null, "{}", None);
        Assert.Null(await store.ClaimAsync(account, "old-unfinished", "h2", None));
        h.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(await store.ClaimAsync(account, "recent", "h3", None));
        await store.CompleteAsync(account, "recent", 201, "application/json", null, "{\"kept\":true}", None);
        h.Clock.Advance(TimeSpan.FromHours(Defaults.KeepHours - 1));

        Assert.Equal(2, await store.PurgeExpiredAsync(None));
        Assert.Equal(0, await store.PurgeExpiredAsync(None));
        Assert.Equal(1, await h.CountAsync("SELECT COUNT(*) FROM idempotency_keys"));
        // A purged key is new again: the same key now claims afresh.
        Assert.Null(await store.ClaimAsync(account, "old-finished", "h1", None));
        Assert.Equal("{\"kept\":true}", (await store.ClaimAsync(account, "recent", "h3", None))!.ResponseBody);
    }

    [Theory]
    [InlineData(0, 10, "KeepHours")]
    [InlineData(100_000, 10, "KeepHours")]
    [InlineData(24, 0, "StaleClaimMinutes")]
    [InlineData(1, 61, "StaleClaimMinutes")]
    public void Settings_OutOfRange_StopTheStartUp_NamingTheKey(int keepHours, int staleMinutes, string key)
    {
        var settings = new IdempotencySettings { KeepHours = keepHours, StaleClaimMinutes = staleMinutes };

        var error = Assert.Throws<InvalidOperationException>(() => settings.Validated());

        Assert.Contains($"Security:Idempotency:{key}", error.Message, StringComparison.Ordinal);
    }
}
