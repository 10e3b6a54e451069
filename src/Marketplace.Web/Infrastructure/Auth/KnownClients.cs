using System.Globalization;
using Microsoft.AspNetCore.DataProtection;

namespace Marketplace.Web.Infrastructure.Auth;

/// <summary>
/// Which accounts a browser (or an API client that keeps cookies) has signed in to successfully, remembered in one
/// cookie signed and encrypted with the app's data-protection keys, each account for Security:SignIn:KnownClientDays.
/// A known client is not held by an address's failure count over every client (<see cref="SignInThrottle"/>): a botnet
/// that exhausts it cannot lock the owner out of a device they used before, and cannot forge the cookie.
/// The cookie is written only after a right password, so it says nothing about addresses nobody signed in to.
/// </summary>
public sealed class KnownClients(IDataProtectionProvider protection, SignInThrottleSettings settings, TimeProvider clock)
{
    public const string CookieName = "Marketplace.KnownClient";

    // A browser shared by a few colleagues keeps a few accounts; the oldest go first.
    private const int MaxAccounts = 8;

    private readonly IDataProtector _protector = protection.CreateProtector("Marketplace.SignIn.KnownClient.v1");

    /// <summary>Whether this request's client signed in to this address (as typed, normalised) within the last KnownClientDays.</summary>
    public bool Knows(HttpContext context, string email)
    {
        var key = Normalised(email);
        return Read(context).Any(entry => entry.Email == key);
    }

    /// <summary>Remembers, after a right password, that this client signed in to this address (renewing its days).</summary>
    public void Remember(HttpContext context, string email)
    {
        var key = Normalised(email);
        var expires = clock.GetUtcNow().AddDays(settings.KnownClientDays);
        var entries = Read(context).Where(entry => entry.Email != key)
            .Append(new Entry(key, expires))
            .OrderByDescending(entry => entry.Expires)
            .Take(MaxAccounts)
            .ToList();
        var payload = string.Join('\n', entries.Select(entry => entry.Expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + " " + entry.Email));
        context.Response.Cookies.Append(CookieName, _protector.Protect(payload), new CookieOptions
        {
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            Expires = entries.Max(entry => entry.Expires),
        });
    }

    private List<Entry> Read(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return [];
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Forged, damaged or from another key ring: the client is simply not known.
            return [];
        }

        var now = clock.GetUtcNow();
        var entries = new List<Entry>();
        foreach (var line in payload.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && long.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                var expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
                if (expires > now)
                {
                    entries.Add(new Entry(line[(space + 1)..], expires));
                }
            }
        }

        return entries;
    }

    private static string Normalised(string email) => email.Trim().ToLowerInvariant();

    private sealed record Entry(string Email, DateTimeOffset Expires);
}
