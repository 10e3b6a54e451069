using Marketplace.Core.Notifications;
using Marketplace.Data.Email;
using Marketplace.Testing;

namespace Marketplace.Data.Tests.Email;

/// <summary>
/// A dispatcher whose batch outlived its claim (a slow SMTP server) renews the claim message by message, and leaves a
/// message another dispatcher has taken over: the expiry costs nothing twice.
/// </summary>
public sealed class ClaimRenewalTests
{
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task AnExpiredClaim_TakenOverByAnotherDispatcher_CannotBeRenewed_ByTheFirst(string engine)
    {
        await using var h = await EmailHarness.CreateAsync(engine, EmailHarness.SmtpSettings(port: 1) with { ClaimSeconds = 5 });
        var user = await h.AddUserAsync("slow@vision.example", "en");
        await h.NotifyAsync(NotificationKinds.ChallengeClosed, "Weld seam inspection", user);
        var store = h.Get<EmailOutboxStore>();
        var now = h.Clock.GetUtcNow();

        var first = await store.ClaimAsync("first", now, now.AddSeconds(5), 10, CancellationToken.None);
        var id = Assert.Single(first).Id;
        // Still within the claim: the first dispatcher renews it and nobody else can take the message.
        Assert.True(await store.RenewClaimAsync(id, "first", now.AddSeconds(2), now.AddSeconds(7), CancellationToken.None));
        Assert.Empty(await store.ClaimAsync("second", now.AddSeconds(6), now.AddSeconds(11), 10, CancellationToken.None));

        // The first dispatcher stalls past its claim; the second takes the message over.
        var later = now.AddSeconds(8);
        Assert.Equal([id], (await store.ClaimAsync("second", later, later.AddSeconds(5), 10, CancellationToken.None)).Select(m => m.Id));

        Assert.False(await store.RenewClaimAsync(id, "first", later.AddSeconds(1), later.AddSeconds(6), CancellationToken.None));
        Assert.True(await store.RenewClaimAsync(id, "second", later.AddSeconds(1), later.AddSeconds(6), CancellationToken.None));
    }
}
