using System.Data.Common;
using Dapper;
using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Common;
using Marketplace.Core.Notifications;
using Marketplace.Data.Application;
using Marketplace.Data.Email;

namespace Marketplace.Data.Notifications;

/// <summary>Someone to notify, with the language their notifications are written in.</summary>
public sealed record Recipient
{
    public long UserId { get; init; }
    public string Language { get; init; } = "zh-CN";
}

/// <summary>
/// In-app notifications. Rows are written inside the transaction of the event they report (so a rolled-back change
/// notifies nobody), each with its e-mail in the outbox (<see cref="EmailOutboxStore.EnqueueAsync"/>) in the same transaction.
/// notifications.delivery_status stays as written: the e-mail's own state lives in email_outbox.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Injected store: callers depend on the instance, whether or not a method needs its fields.")]
public sealed class NotificationStore(DbConnectionFactory connections, EmailOutboxStore email) : INotificationOutbox
{
    public async Task<int> AddAsync(IUnitOfWork work, NotificationRecord notification, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        var recipients = new List<Recipient>();
        foreach (var audience in notification.Audiences)
        {
            recipients.AddRange(await RecipientsAsync(db, audience, cancellationToken));
        }

        if (notification.EnglishReason is null)
        {
            return await AddAsync(db.Connection, db.Transaction, recipients, notification.Kind, notification.ChallengeId, notification.ChallengeTitle,
                notification.Reason, notification.At, cancellationToken);
        }

        var written = 0;
        foreach (var group in recipients.DistinctBy(r => r.UserId).GroupBy(r => r.Language.StartsWith("en", StringComparison.OrdinalIgnoreCase)))
        {
            written += await AddAsync(db.Connection, db.Transaction, group, notification.Kind, notification.ChallengeId, notification.ChallengeTitle,
                group.Key ? notification.EnglishReason : notification.Reason, notification.At, cancellationToken);
        }

        return written;
    }

    /// <summary>The people in one audience, each with the language their notifications are written in.</summary>
    public static async Task<IReadOnlyList<Recipient>> RecipientsAsync(DbUnitOfWork db, Audience audience, CancellationToken cancellationToken) => audience switch
    {
        Audience.EnterpriseOfChallenge a => await EnterpriseMembersAsync(db.Connection, db.Transaction, a.ChallengeId, cancellationToken),
        Audience.FollowersOfChallenge a => await FollowingVendorsAsync(db.Connection, db.Transaction, a.ChallengeId, cancellationToken),
        Audience.InvitedVendorsOfChallenge a => await InvitedVendorsAsync(db, a.ChallengeId, cancellationToken),
        Audience.MembersOfOrganisation a => await OrganisationMembersAsync(db.Connection, db.Transaction, a.OrganisationId, cancellationToken),
        Audience.AllOfficers => await OfficersAsync(db.Connection, db.Transaction, cancellationToken),
        Audience.NamedUsers a => await UsersAsync(db, a.UserIds, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(audience), audience, "Unknown audience."),
    };

    private static async Task<IReadOnlyList<Recipient>> UsersAsync(DbUnitOfWork db, IReadOnlyList<long> userIds, CancellationToken cancellationToken)
    {
        var recipients = new List<Recipient>();
        // In slices, so a long list never exceeds an engine's parameter limit (SQL Server: 2,100).
        foreach (var slice in userIds.Distinct().Chunk(500))
        {
            recipients.AddRange(await db.QueryAsync<Recipient>(
                $"SELECT id AS UserId, preferred_language AS Language FROM users WHERE {db.Dialect.InList("id", "@Ids")}",
                new { Ids = slice.ToList() }, cancellationToken));
        }

        return recipients;
    }

    private static Task<IReadOnlyList<Recipient>> InvitedVendorsAsync(DbUnitOfWork db, long challengeId, CancellationToken cancellationToken) =>
        db.QueryAsync<Recipient>(
            """
            SELECT u.id AS UserId, u.preferred_language AS Language
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organisation_id IN (SELECT vendor_id FROM match_signals WHERE challenge_id = @ChallengeId AND kind = 'invited')
            """, new { ChallengeId = challengeId }, cancellationToken);

    /// <summary>
    /// Vendor organisations following a challenge: those that accepted its NDA or asked a question. When the
    /// proposals table exists (migration 0008), its author organisations belong here too: add
    /// "UNION SELECT vendor_id FROM proposals WHERE challenge_id = @ChallengeId".
    /// </summary>
    public const string FollowingVendorOrganisationsSql = """
        SELECT organisation_id FROM challenge_nda_acceptances WHERE challenge_id = @ChallengeId
        UNION SELECT asked_by_organisation FROM challenge_questions WHERE challenge_id = @ChallengeId
        UNION SELECT vendor_id FROM proposals WHERE challenge_id = @ChallengeId AND status <> 'withdrawn'
        """;

    /// <summary>Writes one row per distinct recipient, in their language.</summary>
    public async Task<int> AddAsync(DbConnection connection, DbTransaction transaction, IEnumerable<Recipient> recipients, string kind, long? challengeId,
        string challengeTitle, string? reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var recipient in recipients.DistinctBy(r => r.UserId))
        {
            var (title, body) = NotificationText.For(kind, recipient.Language, challengeTitle, reason);
            var notificationId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                connections.Dialect.InsertReturningId("notifications", "recipient_user_id, kind, challenge_id, title, body, created_at, read_at, delivery_status",
                    "@UserId, @Kind, @ChallengeId, @Title, @Body, @At, NULL, @Pending"),
                new { recipient.UserId, Kind = kind, ChallengeId = challengeId, Title = title, Body = body, At = at, Pending = DeliveryStatus.Pending },
                transaction, cancellationToken: cancellationToken));
            // The e-mail goes into the outbox in the same transaction: a rolled-back change mails nobody, a committed one is never forgotten.
            await email.EnqueueAsync(connection, transaction, notificationId, recipient.UserId, kind, challengeId, title, body, at, cancellationToken);
            count++;
        }

        return count;
    }

    /// <summary>Members of the enterprise that owns the challenge.</summary>
    public static async Task<IReadOnlyList<Recipient>> EnterpriseMembersAsync(DbConnection connection, DbTransaction transaction, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Recipient>(new CommandDefinition(
            """
            SELECT u.id AS UserId, u.preferred_language AS Language
            FROM challenges c JOIN memberships m ON m.organisation_id = c.enterprise_id JOIN users u ON u.id = m.user_id
            WHERE c.id = @ChallengeId
            """, new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken))).ToList();

    /// <summary>Members of one organisation (a vendor told of its award, either party of a delivery project).</summary>
    public static async Task<IReadOnlyList<Recipient>> OrganisationMembersAsync(DbConnection connection, DbTransaction transaction, long organisationId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Recipient>(new CommandDefinition(
            """
            SELECT u.id AS UserId, u.preferred_language AS Language
            FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = @Id
            """, new { Id = organisationId }, transaction, cancellationToken: cancellationToken))).ToList();

    /// <summary>Every programme officer.</summary>
    public static async Task<IReadOnlyList<Recipient>> OfficersAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Recipient>(new CommandDefinition(
            """
            SELECT u.id AS UserId, u.preferred_language AS Language
            FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
            WHERE r.name = @Officer
            """, new { Officer = Roles.Officer }, transaction, cancellationToken: cancellationToken))).ToList();

    /// <summary>Members of the vendor organisations following the challenge (see <see cref="FollowingVendorOrganisationsSql"/>).</summary>
    public static async Task<IReadOnlyList<Recipient>> FollowingVendorsAsync(DbConnection connection, DbTransaction transaction, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Recipient>(new CommandDefinition(
            $"""
            SELECT u.id AS UserId, u.preferred_language AS Language
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organisation_id IN ({FollowingVendorOrganisationsSql})
            """, new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken))).ToList();

    public async Task<Paged<NotificationItem>> ForUserAsync(long userId, PageRequest page, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM notifications WHERE recipient_user_id = @UserId", new { UserId = userId }, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<NotificationItem>(new CommandDefinition(
            $"""
            SELECT id AS Id, kind AS Kind, challenge_id AS ChallengeId, title AS Title, body AS Body, created_at AS CreatedAt, read_at AS ReadAt
            FROM notifications WHERE recipient_user_id = @UserId
            ORDER BY created_at DESC, id DESC
            {connections.Dialect.Page}
            """, new { UserId = userId, page.Skip, Take = page.PageSize }, cancellationToken: cancellationToken));
        return new Paged<NotificationItem>(rows.ToList(), total, page.Page, page.PageSize);
    }

    public async Task<int> UnreadCountAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM notifications WHERE recipient_user_id = @UserId AND read_at IS NULL", new { UserId = userId }, cancellationToken: cancellationToken));
    }

    /// <summary>Marks one of the user's own notifications read; false when it is not theirs (or does not exist).</summary>
    public async Task<bool> MarkReadAsync(long userId, long notificationId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var mine = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM notifications WHERE id = @Id AND recipient_user_id = @UserId", new { Id = notificationId, UserId = userId }, cancellationToken: cancellationToken));
        if (mine == 0)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET read_at = @At WHERE id = @Id AND recipient_user_id = @UserId AND read_at IS NULL",
            new { Id = notificationId, UserId = userId, At = at }, cancellationToken: cancellationToken));
        return true;
    }

    public async Task<int> MarkAllReadAsync(long userId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET read_at = @At WHERE recipient_user_id = @UserId AND read_at IS NULL",
            new { UserId = userId, At = at }, cancellationToken: cancellationToken));
    }
}
