using Marketplace.Data.Email;

namespace Marketplace.Jobs;

/// <summary>
/// Sends the e-mail outbox (EmailDispatcher.RunOnceAsync): claims a batch, sends, retries with backoff, dead-letters.
/// Safe on several servers at once (claims); idempotent. CLI twin: `marketplace email dispatch` (`jobs run email-dispatch`).
/// </summary>
public sealed class EmailDispatchJob(EmailDispatcher dispatcher)
{
    public async Task<string> RunAsync(CancellationToken cancellationToken) => (await dispatcher.RunOnceAsync(cancellationToken)).ToString();
}

/// <summary>
/// Writes the daily digests (EmailDigest.RunOnceAsync), at most one per user and day; the dispatcher sends them.
/// CLI twin: `marketplace email digest` (`jobs run email-digest`).
/// </summary>
public sealed class EmailDigestJob(EmailDigest digest)
{
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var report = await digest.RunOnceAsync(cancellationToken);
        return $"{report.Digests} digest(s) holding {report.Notifications} notification(s)";
    }
}
