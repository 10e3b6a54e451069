using System.Security.Cryptography;
using Marketplace.Core.Accounts;
using Marketplace.Data.Accounts;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Web.Infrastructure.Auth;

public enum SignInOutcome
{
    Succeeded,
    WrongCredentials,
    Paused,
    NotAllowed,
    LockedOut,
}

/// <summary>The answer to a password check: the user when it succeeded, when a pause ends, how many failures are left.</summary>
public sealed record SignInCheck(SignInOutcome Outcome, AppUser? User = null, DateTimeOffset? RetryAt = null, int? FailuresLeft = null, PauseScope PauseScope = PauseScope.Client);

/// <summary>
/// The one password check behind the sign-in page and the token endpoint, built so that an attacker learns nothing
/// about which addresses have accounts (issue #12):
/// - an unknown address costs the same work as a known one (the password hasher runs against a dummy hash) and gets
///   the same answer, the same warnings and the same pauses (<see cref="SignInThrottle"/> counts the address as typed);
/// - failures pause that address from that client, never the account for everyone (Identity's lockout-on-failure
///   is off); past Security:SignIn:MaxFailuresPerAccount failures over every client the address pauses for clients
///   that never signed in to it (<see cref="KnownClients"/>), so rotating client addresses neither guesses without
///   limit nor locks the owner out; an administrator's lockout or a not-yet-allowed account is told only to someone who knew the password.
/// The caller signs the user in (cookie or bearer token) when the outcome is <see cref="SignInOutcome.Succeeded"/>.
/// </summary>
public sealed class PasswordSignIn(SignInManager<AppUser> signIn, IPasswordHasher<AppUser> hasher, SignInThrottle throttle, KnownClients knownClients)
{
    private static string? _dummyHash;

    public async Task<SignInCheck> CheckAsync(string email, string password, HttpContext context)
    {
        var address = AccountRules.CleanEmail(email);
        var client = context.Connection.RemoteIpAddress;
        var known = knownClients.Knows(context, address);
        if (await throttle.PausedUntilAsync(address, client, known, context.RequestAborted) is { } pause)
        {
            return Paused(pause);
        }

        var users = signIn.UserManager;
        var user = await users.FindByEmailAsync(address);
        bool passwordMatches;
        if (user is null)
        {
            // The same hashing work as a real check, so the answer takes as long (the result is always a failure).
            var dummy = LazyInitializer.EnsureInitialized(ref _dummyHash, () => hasher.HashPassword(new AppUser(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
            _ = hasher.VerifyHashedPassword(new AppUser(), dummy, password);
            passwordMatches = false;
        }
        else
        {
            passwordMatches = await users.CheckPasswordAsync(user, password);
        }

        if (!passwordMatches)
        {
            // Counted whatever happens to the request: a client that hangs up early must not dodge the count.
            var (left, after) = await throttle.RecordFailureAsync(address, client, known, CancellationToken.None);
            // The failure that reaches this pair's limit, or the address's limit over every client, answers with the pause.
            return after is not null && (left == 0 || after.Scope == PauseScope.Account)
                ? Paused(after)
                : new SignInCheck(SignInOutcome.WrongCredentials, FailuresLeft: left);
        }

        await throttle.RecordSuccessAsync(address, client, CancellationToken.None);
        if (users.SupportsUserLockout && await users.IsLockedOutAsync(user!))
        {
            return new SignInCheck(SignInOutcome.LockedOut, user, RetryAt: user!.LockoutEnd);
        }

        if (!await signIn.CanSignInAsync(user!))
        {
            return new SignInCheck(SignInOutcome.NotAllowed, user);
        }

        knownClients.Remember(context, address);
        return new SignInCheck(SignInOutcome.Succeeded, user);
    }

    private static SignInCheck Paused(SignInPause pause) => new(SignInOutcome.Paused, RetryAt: pause.Until, PauseScope: pause.Scope);
}
