using Marketplace.Core.Features.Notifications;

namespace Marketplace.Jobs;

/// <summary>
/// Weekly: each vendor's digest of new challenges recommended for it (WeeklyDigest). Once per vendor and week,
/// however often it runs. CLI twin: `marketplace jobs run weekly-digest` (`notifications weekly-digest`).
/// </summary>
public sealed class WeeklyDigestJob(WeeklyDigest digest)
{
    public async Task<string> RunAsync(CancellationToken cancellationToken) =>
        $"{await digest.SendAsync(cancellationToken)} digest(s) sent";
}
