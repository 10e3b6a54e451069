using System.Net;
using Marketplace.Data.Security;

namespace Marketplace.Web.Infrastructure.Auth;

/// <summary>Security:SignIn: how many failed sign-ins pause further attempts, and for how long.</summary>
public sealed class SignInThrottleSettings
{
    public const string SectionName = "Security:SignIn";

    /// <summary>Failures of one address (as typed, whether or not an account has it) from one client before that pair pauses.</summary>
    public int MaxFailuresPerAccountAndClient { get; init; } = 5;

    /// <summary>Failures from one client, over every address, before the client pauses (password spraying).</summary>
    public int MaxFailuresPerClient { get; init; } = 50;

    /// <summary>
    /// Failures of one address (as typed) from every client together before that address pauses for every client it
    /// does not know (a botnet rotating addresses); a client that signed in to the account before still gets through.
    /// </summary>
    public int MaxFailuresPerAccount { get; init; } = 20;

    /// <summary>How long a successful sign-in keeps its client known to that account (the signed known-client cookie).</summary>
    public int KnownClientDays { get; init; } = 30;

    /// <summary>How long a pause lasts after the last failure; failures further apart than this are forgotten.</summary>
    public int PauseMinutes { get; init; } = 15;

    /// <summary>Stops the app at start-up on a value that would switch a limit off or make no sense, naming the key.</summary>
    public SignInThrottleSettings Validated()
    {
        Require(nameof(MaxFailuresPerAccountAndClient), MaxFailuresPerAccountAndClient, 1, 1_000_000);
        Require(nameof(MaxFailuresPerClient), MaxFailuresPerClient, 1, 1_000_000);
        Require(nameof(MaxFailuresPerAccount), MaxFailuresPerAccount, 1, 1_000_000);
        Require(nameof(KnownClientDays), KnownClientDays, 1, 3650);
        Require(nameof(PauseMinutes), PauseMinutes, 1, 7 * 24 * 60);
        return this;
    }

    private static void Require(string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new InvalidOperationException($"{SectionName}:{key} must be a whole number from {min} to {max}; it is {value}.");
        }
    }
}

/// <summary>Which pause answered: this address from this client (or this client over all addresses), or this address for unknown clients.</summary>
public enum PauseScope
{
    Client,
    Account,
}

/// <summary>A pause: until when, and whether it holds this client or every client the account does not know.</summary>
public sealed record SignInPause(DateTimeOffset Until, PauseScope Scope);

/// <summary>
/// Failed sign-ins counted per (e-mail address, client IP), per client IP and per e-mail address, in the database
/// (<see cref="SignInFailureStore"/>), so every instance on one database counts together and a restart forgets nothing.
/// A pause stops that address from that client only (and, past the per-client limit, that client for every address):
/// an attacker cannot aim it at a victim, who keeps signing in from their own network, and the account itself is never
/// locked by failures. The per-address count over every client stops a botnet that rotates client addresses; it pauses
/// only clients the account does not know (<see cref="KnownClients"/>), so the owner on a device they signed in from
/// before is never locked out by it. The address is counted as typed, so an unknown address pauses exactly like a real
/// one and tells nothing.
/// </summary>
public sealed class SignInThrottle(SignInThrottleSettings settings, SignInFailureStore store, TimeProvider clock)
{
    private TimeSpan Pause => TimeSpan.FromMinutes(settings.PauseMinutes);

    /// <summary>
    /// When attempts for this address from this client may resume, or null when they may go ahead now. A client the
    /// account knows (<paramref name="knownClient"/>) is not held by the address's count over every client.
    /// </summary>
    public async Task<SignInPause?> PausedUntilAsync(string email, IPAddress? client, bool knownClient, CancellationToken cancellationToken)
    {
        var counts = await store.ReadAsync([PairKey(email, client), ClientKey(client), AccountKey(email)], cancellationToken);
        return PauseOf(counts, email, client, knownClient, clock.GetUtcNow());
    }

    /// <summary>
    /// Counts a failure; returns how many more this address may fail from this client before it pauses, and the pause
    /// the counts now call for (read from the counts the increment returned, not read again).
    /// </summary>
    public async Task<(int Left, SignInPause? Pause)> RecordFailureAsync(string email, IPAddress? client, bool knownClient, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var pairKey = PairKey(email, client);
        var counts = await store.IncrementAsync([ClientKey(client), AccountKey(email), pairKey], now, Pause, cancellationToken);
        var after = counts.ToDictionary(c => c.Key, c => new SignInFailureStore.Count(c.Value, now), StringComparer.Ordinal);
        return (Math.Max(0, settings.MaxFailuresPerAccountAndClient - counts[pairKey]), PauseOf(after, email, client, knownClient, now));
    }

    /// <summary>The pause the three counters call for at <paramref name="now"/>, the longest of them, or null.</summary>
    private SignInPause? PauseOf(IReadOnlyDictionary<string, SignInFailureStore.Count> counts, string email, IPAddress? client, bool knownClient, DateTimeOffset now)
    {
        var pair = Current(counts, PairKey(email, client), now);
        var all = Current(counts, ClientKey(client), now);
        SignInPause? pause = null;
        if (pair.Failures >= settings.MaxFailuresPerAccountAndClient)
        {
            pause = new SignInPause(pair.LastFailureAt + Pause, PauseScope.Client);
        }

        if (all.Failures >= settings.MaxFailuresPerClient && (pause is null || all.LastFailureAt + Pause > pause.Until))
        {
            pause = new SignInPause(all.LastFailureAt + Pause, PauseScope.Client);
        }

        var account = Current(counts, AccountKey(email), now);
        if (!knownClient && account.Failures >= settings.MaxFailuresPerAccount && (pause is null || account.LastFailureAt + Pause > pause.Until))
        {
            pause = new SignInPause(account.LastFailureAt + Pause, PauseScope.Account);
        }

        return pause is not null && pause.Until > now ? pause : null;
    }

    /// <summary>
    /// A right password clears the count of this address from this client (not the client's overall count, nor the
    /// address's count over every client: the owner signing in must not hand a botnet a fresh allowance).
    /// </summary>
    public Task RecordSuccessAsync(string email, IPAddress? client, CancellationToken cancellationToken) =>
        store.ForgetAsync(PairKey(email, client), cancellationToken);

    // Failures count while they come within a pause of each other; a quiet pause forgets them.
    private SignInFailureStore.Count Current(IReadOnlyDictionary<string, SignInFailureStore.Count> counts, string key, DateTimeOffset now) =>
        counts.TryGetValue(key, out var count) && now - count.LastFailureAt <= Pause ? count : new SignInFailureStore.Count(0, now);

    private static string Address(IPAddress? client) => client?.ToString() ?? "-";

    private static string ClientKey(IPAddress? client) => "ip|" + Address(client);

    private static string PairKey(string email, IPAddress? client) => "pair|" + Address(client) + "|" + Normalised(email);

    private static string AccountKey(string email) => "account|" + Normalised(email);

    private static string Normalised(string email) => email.Trim().ToLowerInvariant();
}
