using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Features.Email;
using Marketplace.Data.Application;

namespace Marketplace.Data.Email;

/// <summary>A user's e-mail settings as the preferences page shows them.</summary>
public sealed record EmailPreferencesView(string Address, string Language, EmailPreferences Preferences);

/// <summary>email_preferences and email_kind_optouts: each user's choices and their unsubscribe token.</summary>
public sealed class EmailPreferenceStore(DbConnectionFactory connections) : IEmailPreferenceStore
{
    private sealed record Row
    {
        public string Mode { get; init; } = EmailMode.EachNotification;
        public DateTimeOffset? UnsubscribedAt { get; init; }
    }

    public async Task<EmailPreferences?> LoadAsync(IUnitOfWork work, long userId, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        return await LoadAsync(db.Connection, db.Transaction, userId, cancellationToken);
    }

    private static async Task<EmailPreferences?> LoadAsync(DbConnection connection, DbTransaction? transaction, long userId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT mode AS Mode, unsubscribed_at AS UnsubscribedAt FROM email_preferences WHERE user_id = @UserId",
            new { UserId = userId }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var off = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT kind FROM email_kind_optouts WHERE user_id = @UserId", new { UserId = userId }, transaction, cancellationToken: cancellationToken));
        return new EmailPreferences(row.Mode, row.UnsubscribedAt is not null, off.ToHashSet(StringComparer.Ordinal));
    }

    public async Task SaveAsync(IUnitOfWork work, long userId, EmailPreferences preferences, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        await EnsureTokenAsync(db.Connection, db.Transaction, db.Dialect, userId, at, cancellationToken);
        await db.ExecuteAsync(
            """
            UPDATE email_preferences
            SET mode = @Mode, unsubscribed_at = CASE WHEN @Unsubscribed = 1 THEN COALESCE(unsubscribed_at, @At) ELSE NULL END, updated_at = @At
            WHERE user_id = @UserId
            """, new { UserId = userId, preferences.Mode, Unsubscribed = preferences.Unsubscribed ? 1 : 0, At = at }, cancellationToken);
        await db.ExecuteAsync("DELETE FROM email_kind_optouts WHERE user_id = @UserId", new { UserId = userId }, cancellationToken);
        foreach (var kind in preferences.KindsOff.Order(StringComparer.Ordinal))
        {
            await db.ExecuteAsync("INSERT INTO email_kind_optouts (user_id, kind) VALUES (@UserId, @Kind)", new { UserId = userId, Kind = kind }, cancellationToken);
        }
    }

    public Task<long?> UserOfTokenAsync(IUnitOfWork work, string token, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<long?>(
            "SELECT user_id FROM email_preferences WHERE unsubscribe_token = @Token", new { Token = token }, cancellationToken);

    public async Task UnsubscribeAsync(IUnitOfWork work, long userId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        await db.ExecuteAsync(
            "UPDATE email_preferences SET unsubscribed_at = COALESCE(unsubscribed_at, @At), updated_at = @At WHERE user_id = @UserId",
            new { UserId = userId, At = at }, cancellationToken);
        // What still waits for this person is not sent either: the link promises no more e-mail.
        await db.ExecuteAsync(
            """
            UPDATE email_outbox SET status = @Suppressed, claim_owner = NULL, claim_expires_at = NULL, updated_at = @At
            WHERE recipient_user_id = @UserId AND status IN (@Pending, @Digest)
            """, new { UserId = userId, At = at, Suppressed = EmailStatus.Suppressed, Pending = EmailStatus.Pending, Digest = EmailStatus.Digest }, cancellationToken);
    }

    /// <summary>The signed-in user's address and settings for the preferences page.</summary>
    public async Task<EmailPreferencesView?> ViewAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var user = await connection.QuerySingleOrDefaultAsync<(string Address, string Language)>(new CommandDefinition(
            "SELECT email AS Address, preferred_language AS Language FROM users WHERE id = @UserId", new { UserId = userId }, cancellationToken: cancellationToken));
        if (user.Address is null)
        {
            return null;
        }

        return new EmailPreferencesView(user.Address, user.Language, await LoadAsync(connection, null, userId, cancellationToken) ?? EmailPreferences.Default);
    }

    /// <summary>Whether an unsubscribe token belongs to someone, and whether they are unsubscribed already (for the confirm page).</summary>
    public async Task<(bool Known, bool Unsubscribed)> TokenStateAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var unsubscribedAt = await connection.QuerySingleOrDefaultAsync<(long UserId, DateTimeOffset? At)>(new CommandDefinition(
            "SELECT user_id AS UserId, unsubscribed_at AS At FROM email_preferences WHERE unsubscribe_token = @Token", new { Token = token }, cancellationToken: cancellationToken));
        return (unsubscribedAt.UserId != 0, unsubscribedAt.At is not null);
    }

    /// <summary>
    /// The user's unsubscribe token, creating their preferences row (with the defaults and a new random token) when
    /// there is none. Safe when two transactions do it at once: the insert yields to an existing row.
    /// </summary>
    public static async Task<string> EnsureTokenAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, long userId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            dialect.InsertIfAbsent("email_preferences", "user_id", "@UserId", "user_id, mode, unsubscribed_at, unsubscribe_token, last_digest_on, updated_at",
                "@UserId, @Mode, NULL, @Token, NULL, @At"),
            new { UserId = userId, Mode = EmailMode.EachNotification, Token = NewToken(), At = at }, transaction, cancellationToken: cancellationToken));
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT unsubscribe_token FROM email_preferences WHERE user_id = @UserId", new { UserId = userId }, transaction, cancellationToken: cancellationToken))
            ?? throw new InvalidOperationException($"No e-mail preferences row for user {userId} after inserting one.");
    }

    /// <summary>256 random bits, URL-safe.</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
