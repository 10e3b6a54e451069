namespace Marketplace.Data.Idempotency;

/// <summary>
/// How long Idempotency-Keys live ("Security:Idempotency"; docs/security.md, "Duplicate submissions"). A client retries
/// within minutes, not days: after <see cref="KeepHours"/> a key and its kept answer are deleted by the
/// idempotency-cleanup job, and the same key then counts as new. A key whose request never finished (the process died
/// between claiming it and keeping the answer) is "in progress" (409) only for <see cref="StaleClaimMinutes"/>; after
/// that a repeat of the same request claims it again and runs.
/// </summary>
public sealed record IdempotencySettings
{
    public const string SectionName = "Security:Idempotency";

    /// <summary>Hours a key and its answer are kept (24, as the payment APIs that made the header common do).</summary>
    public int KeepHours { get; init; } = 24;

    /// <summary>Minutes after which an unfinished claim is presumed dead (no request here runs that long).</summary>
    public int StaleClaimMinutes { get; init; } = 10;

    /// <summary>These settings, or an exception naming the key that is out of range (checked at start-up).</summary>
    public IdempotencySettings Validated()
    {
        if (KeepHours is < 1 or > 24 * 366)
        {
            throw new InvalidOperationException($"{SectionName}:KeepHours must be between 1 and {24 * 366} (it is {KeepHours}).");
        }

        if (StaleClaimMinutes < 1 || StaleClaimMinutes > KeepHours * 60)
        {
            throw new InvalidOperationException(
                $"{SectionName}:StaleClaimMinutes must be at least 1 and at most KeepHours × 60 = {KeepHours * 60} (it is {StaleClaimMinutes}).");
        }

        return this;
    }
}
