using System.Net;
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
public sealed record SignInCheck(SignInOutcome Outcome, AppUser? User = null, DateTimeOffset? RetryAt = null, int? FailuresLeft = null);

/// <summary>
/// The one password check behind the sign-in page and the token endpoint, built so that an attacker learns nothing
/// about which addresses have accounts (issue #12):
/// - an unknown address costs the same work as a known one (the password hasher runs against a dummy hash) and gets
///   the same answer, the same warnings and the same pauses (<see cref="SignInThrottle"/> counts the address as typed);
/// - failures pause that address from that client, never the account for everyone (Identity's lockout-on-failure
///   is off); an administrator's lockout or a not-yet-allowed account is told only to someone who knew the password.
/// The caller signs the user in (cookie or bearer token) when the outcome is <see cref="SignInOutcome.Succeeded"/>.
/// </summary>
public sealed class PasswordSignIn(SignInManager<AppUser> signIn, IPasswordHasher<AppUser> hasher, SignInThrottle throttle)
{
    private static string? _dummyHash;

    public async Task<SignInCheck> CheckAsync(string email, string password, IPAddress? client)
    {
        var address = AccountRules.CleanEmail(email);
        if (throttle.PausedUntil(address, client) is { } until)
        {
            return new SignInCheck(SignInOutcome.Paused, RetryAt: until);
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
            var left = throttle.RecordFailure(address, client);
            return left == 0
                ? new SignInCheck(SignInOutcome.Paused, RetryAt: throttle.PausedUntil(address, client))
                : new SignInCheck(SignInOutcome.WrongCredentials, FailuresLeft: left);
        }

        throttle.RecordSuccess(address, client);
        if (users.SupportsUserLockout && await users.IsLockedOutAsync(user!))
        {
            return new SignInCheck(SignInOutcome.LockedOut, user, RetryAt: user!.LockoutEnd);
        }

        return await signIn.CanSignInAsync(user!)
            ? new SignInCheck(SignInOutcome.Succeeded, user)
            : new SignInCheck(SignInOutcome.NotAllowed, user);
    }
}
