using Marketplace.Data.Idempotency;
using Marketplace.Data.Security;

namespace Marketplace.Jobs;

/// <summary>
/// Hourly: deletes API Idempotency-Keys older than Security:Idempotency:KeepHours and failed-sign-in counts quiet for
/// longer than any pause can last (7 days), so neither table grows for ever. Idempotent. CLI twin:
/// `marketplace jobs run security-cleanup`.
/// </summary>
public sealed class SecurityCleanupJob(IdempotencyStore idempotencyKeys, SignInFailureStore signInFailures, TimeProvider clock)
{
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var keys = await idempotencyKeys.PurgeExpiredAsync(cancellationToken);
        var counts = await signInFailures.PurgeQuietAsync(clock.GetUtcNow(), cancellationToken);
        return $"{keys} expired Idempotency-Key(s) and {counts} quiet sign-in failure count(s) deleted";
    }
}
