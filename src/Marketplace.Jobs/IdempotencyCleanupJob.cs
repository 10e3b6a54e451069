using Marketplace.Data.Idempotency;

namespace Marketplace.Jobs;

/// <summary>
/// Hourly: deletes API Idempotency-Keys older than Security:Idempotency:KeepHours, so the table holds a day of keys,
/// not every key ever sent. Idempotent. CLI twin: `marketplace jobs run idempotency-cleanup`.
/// </summary>
public sealed class IdempotencyCleanupJob(IdempotencyStore store)
{
    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        $"{await store.PurgeExpiredAsync(cancellationToken)} expired Idempotency-Key(s) deleted";
}
