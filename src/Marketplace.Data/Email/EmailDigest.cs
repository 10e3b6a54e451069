using Marketplace.Data.Application;
using Microsoft.Extensions.Logging;

namespace Marketplace.Data.Email;

/// <summary>What one digest run did.</summary>
public sealed record DigestReport(int Digests, int Notifications);

/// <summary>
/// The daily digest: for every user in digest mode with notifications waiting, one mail holding all of them, at most
/// one per user per UTC day. Each user's digest is one transaction (take the day on the user's preferences row with a
/// guarded update, write the digest as a pending outbox message, mark what it holds as digested), so two runs at once,
/// or a run repeated the same day, never make a second digest. The dispatcher then sends it like any other message.
/// Notifications arriving after the day's digest wait for the next day's. The scheduler calls <see cref="RunOnceAsync"/>
/// (daily); so does <c>marketplace email digest</c>.
/// </summary>
public sealed class EmailDigest(EmailOutboxStore outbox, DbConnectionFactory connections, TimeProvider clock, ILogger<EmailDigest> logger)
{
    public async Task<DigestReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        int digests = 0, notifications = 0;
        foreach (var userId in await outbox.UsersDueForDigestAsync(today, now, cancellationToken))
        {
            await using var db = await DbUnitOfWork.BeginAsync(connections, cancellationToken);
            if (!await outbox.TakeDigestDayAsync(db, userId, today, now, cancellationToken))
            {
                await db.RollbackAsync(cancellationToken);
                continue;
            }

            var entries = await outbox.WaitingForDigestAsync(db, userId, now, cancellationToken);
            if (entries.Count == 0)
            {
                await db.RollbackAsync(cancellationToken);
                continue;
            }

            await outbox.AddDigestAsync(db, userId, entries, today, now, cancellationToken);
            await db.CommitAsync(cancellationToken);
            digests++;
            notifications += entries.Count;
        }

        if (digests > 0)
        {
            logger.LogInformation("E-mail digest: {Digests} digest(s) holding {Notifications} notification(s)", digests, notifications);
        }

        return new DigestReport(digests, notifications);
    }
}
