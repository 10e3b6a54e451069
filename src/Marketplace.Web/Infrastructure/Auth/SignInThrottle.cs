using System.Collections.Concurrent;
using System.Net;

namespace Marketplace.Web.Infrastructure.Auth;

/// <summary>Security:SignIn: how many failed sign-ins pause further attempts, and for how long.</summary>
public sealed class SignInThrottleSettings
{
    public const string SectionName = "Security:SignIn";

    /// <summary>Failures of one address (as typed, whether or not an account has it) from one client before that pair pauses.</summary>
    public int MaxFailuresPerAccountAndClient { get; init; } = 5;

    /// <summary>Failures from one client, over every address, before the client pauses (password spraying).</summary>
    public int MaxFailuresPerClient { get; init; } = 50;

    /// <summary>How long a pause lasts after the last failure; failures further apart than this are forgotten.</summary>
    public int PauseMinutes { get; init; } = 15;
}

/// <summary>
/// Failed sign-ins counted per (e-mail address, client IP) and per client IP, in memory. A pause stops that address
/// from that client only (and, past the per-client limit, that client for every address): an attacker cannot aim it
/// at a victim, who keeps signing in from their own network, and the account itself is never locked by failures.
/// The address is counted as typed, so an unknown address pauses exactly like a real one and tells nothing.
/// In memory per instance: a restart forgets the counts, and N instances allow N times the attempts (docs/security.md).
/// </summary>
public sealed class SignInThrottle(SignInThrottleSettings settings, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    private TimeSpan Pause => TimeSpan.FromMinutes(settings.PauseMinutes);

    /// <summary>When attempts for this address from this client may resume, or null when they may go ahead now.</summary>
    public DateTimeOffset? PausedUntil(string email, IPAddress? client)
    {
        var now = clock.GetUtcNow();
        var pair = Current(PairKey(email, client), now);
        var all = Current(ClientKey(client), now);
        DateTimeOffset? until = null;
        if (pair.Count >= settings.MaxFailuresPerAccountAndClient)
        {
            until = pair.LastAt + Pause;
        }

        if (all.Count >= settings.MaxFailuresPerClient && (until is null || all.LastAt + Pause > until))
        {
            until = all.LastAt + Pause;
        }

        return until > now ? until : null;
    }

    /// <summary>Counts a failure; returns how many more this address may fail from this client before it pauses.</summary>
    public int RecordFailure(string email, IPAddress? client)
    {
        var now = clock.GetUtcNow();
        if (_counters.Count > 100_000)
        {
            Prune(now);
        }

        _counters.AddOrUpdate(ClientKey(client), _ => new Counter(1, now), (_, c) => Next(c, now));
        var pair = _counters.AddOrUpdate(PairKey(email, client), _ => new Counter(1, now), (_, c) => Next(c, now));
        return Math.Max(0, settings.MaxFailuresPerAccountAndClient - pair.Count);
    }

    /// <summary>A right password clears the count of this address from this client (not the client's overall count).</summary>
    public void RecordSuccess(string email, IPAddress? client) => _counters.TryRemove(PairKey(email, client), out _);

    // Failures count while they come within a pause of each other; a quiet pause forgets them.
    private Counter Next(Counter counter, DateTimeOffset now) =>
        now - counter.LastAt > Pause ? new Counter(1, now) : counter with { Count = counter.Count + 1, LastAt = now };

    private Counter Current(string key, DateTimeOffset now) =>
        _counters.TryGetValue(key, out var counter) && now - counter.LastAt <= Pause ? counter : new Counter(0, now);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, counter) in _counters)
        {
            if (now - counter.LastAt > Pause)
            {
                _counters.TryRemove(key, out _);
            }
        }
    }

    private static string Address(IPAddress? client) => client?.ToString() ?? "-";

    private static string ClientKey(IPAddress? client) => "ip|" + Address(client);

    private static string PairKey(string email, IPAddress? client) => "pair|" + Address(client) + "|" + email.Trim().ToLowerInvariant();

    private sealed record Counter(int Count, DateTimeOffset LastAt);
}
