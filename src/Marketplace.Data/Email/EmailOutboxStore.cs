using System.Data.Common;
using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Features.Email;
using Marketplace.Core.Notifications;
using Marketplace.Data.Application;

namespace Marketplace.Data.Email;

/// <summary>A claimed message, with what the dispatcher needs to build and send it.</summary>
public sealed record OutboundMessage
{
    public long Id { get; init; }
    public string RecipientAddress { get; init; } = "";
    public string Language { get; init; } = "";
    public string Subject { get; init; } = "";
    public string TextBody { get; init; } = "";
    public string HtmlBody { get; init; } = "";
    public string MessageId { get; init; } = "";
    public int Attempts { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? UnsubscribeToken { get; init; }
}

/// <summary>A notification waiting for its recipient's digest.</summary>
public sealed record DigestEntry
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public long? ChallengeId { get; init; }
    public string Kind { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// The e-mail outbox (email_outbox): written beside each notification, claimed and marked by the dispatcher, folded
/// into digests, listed and retried by administrators. SQL beside each method; the queue claim's dialect differences
/// live in <see cref="SqlDialect.ClaimBatch"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Injected store: callers depend on the instance, whether or not a method needs its fields.")]
public sealed class EmailOutboxStore(DbConnectionFactory connections, EmailSettings settings) : IEmailOutboxAdminStore
{
    private sealed record Target
    {
        public string? Address { get; init; }
        public string Language { get; init; } = "zh-CN";
        public string? Mode { get; init; }
        public DateTimeOffset? UnsubscribedAt { get; init; }
        public string? Token { get; init; }
        public int KindOff { get; init; }
    }

    public EmailSettings Settings => settings;

    /// <summary>
    /// Writes the outbox row of one notification inside the notification's own transaction: pending, waiting for the
    /// digest, or suppressed, as the recipient's preferences say. Rendered now, so the mail says what the app showed.
    /// </summary>
    public async Task EnqueueAsync(DbConnection connection, DbTransaction transaction, long notificationId, long userId, string kind, long? challengeId,
        string title, string body, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var target = await connection.QuerySingleOrDefaultAsync<Target>(new CommandDefinition(
            """
            SELECT u.email AS Address, u.preferred_language AS Language, p.mode AS Mode, p.unsubscribed_at AS UnsubscribedAt, p.unsubscribe_token AS Token,
                   (SELECT COUNT(*) FROM email_kind_optouts o WHERE o.user_id = u.id AND o.kind = @Kind) AS KindOff
            FROM users u LEFT JOIN email_preferences p ON p.user_id = u.id
            WHERE u.id = @UserId
            """, new { UserId = userId, Kind = kind }, transaction, cancellationToken: cancellationToken));
        if (target is null || string.IsNullOrWhiteSpace(target.Address))
        {
            return;
        }

        var token = target.Token ?? await EmailPreferenceStore.EnsureTokenAsync(connection, transaction, connections.Dialect, userId, at, cancellationToken);
        var preferences = new EmailPreferences(target.Mode ?? EmailMode.EachNotification, target.UnsubscribedAt is not null,
            target.KindOff > 0 ? new HashSet<string> { kind } : new HashSet<string>());
        var mail = EmailTemplates.ForNotification(target.Language, title, body, Links(kind, challengeId, token));
        await InsertAsync(connection, transaction, notificationId, userId, kind, target.Address, target.Language, mail, preferences.StatusFor(kind), at, cancellationToken);
    }

    private EmailLinks Links(string kind, long? challengeId, string token) => new(
        settings.Link(NotificationLinks.PathFor(kind, challengeId)),
        settings.Link("/email/preferences"),
        settings.UnsubscribeLink(token));

    private async Task<long> InsertAsync(DbConnection connection, DbTransaction transaction, long? notificationId, long userId, string kind, string address, string language,
        RenderedEmail mail, string status, DateTimeOffset at, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            connections.Dialect.InsertReturningId("email_outbox",
                "notification_id, recipient_user_id, kind, recipient_address, language, subject, text_body, html_body, status, attempts, next_attempt_at, message_id, created_at, updated_at",
                "@NotificationId, @UserId, @Kind, @Address, @Language, @Subject, @Text, @Html, @Status, 0, @At, @MessageId, @At, @At"),
            new
            {
                NotificationId = notificationId, UserId = userId, Kind = kind, Address = address, Language = language, mail.Subject, mail.Text, mail.Html,
                Status = status, At = at, MessageId = $"{Guid.NewGuid():N}@{settings.MessageIdDomain}",
            }, transaction, cancellationToken: cancellationToken));

    // ---- The dispatcher ----------------------------------------------------------------------------------------------

    private const string Due = "status = 'pending' AND next_attempt_at <= @Now AND (claim_expires_at IS NULL OR claim_expires_at < @Now)";

    /// <summary>
    /// Claims up to <paramref name="take"/> due messages for <paramref name="owner"/> until <paramref name="until"/> in one
    /// atomic statement, then reads them back. A claim that expires (its dispatcher died) makes the message due again.
    /// </summary>
    public async Task<IReadOnlyList<OutboundMessage>> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset until, int take, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            connections.Dialect.ClaimBatch("email_outbox", "claim_owner = @Owner, claim_expires_at = @Until, updated_at = @Now", Due, "next_attempt_at, id"),
            new { Owner = owner, Now = now, Until = until, Take = take }, cancellationToken: cancellationToken));
        return (await connection.QueryAsync<OutboundMessage>(new CommandDefinition(
            """
            SELECT o.id AS Id, o.recipient_address AS RecipientAddress, o.language AS Language, o.subject AS Subject, o.text_body AS TextBody,
                   o.html_body AS HtmlBody, o.message_id AS MessageId, o.attempts AS Attempts, o.created_at AS CreatedAt, p.unsubscribe_token AS UnsubscribeToken
            FROM email_outbox o LEFT JOIN email_preferences p ON p.user_id = o.recipient_user_id
            WHERE o.claim_owner = @Owner AND o.status = 'pending'
            ORDER BY o.id
            """, new { Owner = owner }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Extends this owner's claim on one message just before it is sent; false when the claim was lost (it expired during
    /// a slow batch and another dispatcher took the message, or the message left 'pending'). So an expired claim costs at
    /// most the message being sent at that moment, never the rest of the batch.
    /// </summary>
    public async Task<bool> RenewClaimAsync(long id, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE email_outbox SET claim_expires_at = @Until, updated_at = @Now WHERE id = @Id AND claim_owner = @Owner AND status = 'pending'",
            new { Id = id, Owner = owner, Now = now, Until = until }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Marks a message sent; false when this owner no longer held its claim (it expired and someone else took it).</summary>
    public async Task<bool> MarkSentAsync(long id, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE email_outbox
            SET status = 'sent', sent_at = @Now, updated_at = @Now, attempts = attempts + 1, last_error = NULL, claim_owner = NULL, claim_expires_at = NULL
            WHERE id = @Id AND claim_owner = @Owner AND status = 'pending'
            """, new { Id = id, Owner = owner, Now = now }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Records a failed attempt: due again at <paramref name="nextAttemptAt"/>, or dead once the attempts reach the limit.</summary>
    public async Task<bool> MarkFailedAsync(long id, string owner, DateTimeOffset now, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE email_outbox
            SET attempts = attempts + 1,
                status = CASE WHEN attempts + 1 >= @MaxAttempts THEN 'dead' ELSE 'pending' END,
                next_attempt_at = @Next, last_error = @Error, updated_at = @Now, claim_owner = NULL, claim_expires_at = NULL
            WHERE id = @Id AND claim_owner = @Owner AND status = 'pending'
            """, new { Id = id, Owner = owner, Now = now, Next = nextAttemptAt, Error = error.Length > 2000 ? error[..2000] : error, settings.MaxAttempts },
            cancellationToken: cancellationToken)) == 1;
    }

    // ---- The daily digest ---------------------------------------------------------------------------------------------

    /// <summary>Users with notifications waiting for a digest who had none yet on <paramref name="today"/>.</summary>
    public async Task<IReadOnlyList<long>> UsersDueForDigestAsync(DateOnly today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            """
            SELECT DISTINCT o.recipient_user_id FROM email_outbox o JOIN email_preferences p ON p.user_id = o.recipient_user_id
            WHERE o.status = 'digest' AND o.created_at <= @Now AND (p.last_digest_on IS NULL OR p.last_digest_on < @Today)
            ORDER BY o.recipient_user_id
            """, new { Today = today, Now = now }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Takes the user's digest for today; false when another run took it first (the guarded update found nothing).</summary>
    public async Task<bool> TakeDigestDayAsync(DbUnitOfWork db, long userId, DateOnly today, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.ExecuteAsync(
            "UPDATE email_preferences SET last_digest_on = @Today, updated_at = @Now WHERE user_id = @UserId AND (last_digest_on IS NULL OR last_digest_on < @Today)",
            new { UserId = userId, Today = today, Now = now }, cancellationToken) == 1;

    public Task<IReadOnlyList<DigestEntry>> WaitingForDigestAsync(DbUnitOfWork db, long userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.QueryAsync<DigestEntry>(
            """
            SELECT o.id AS Id, COALESCE(n.title, o.subject) AS Title, COALESCE(n.body, o.text_body) AS Body, n.challenge_id AS ChallengeId, o.kind AS Kind, o.created_at AS CreatedAt
            FROM email_outbox o LEFT JOIN notifications n ON n.id = o.notification_id
            WHERE o.recipient_user_id = @UserId AND o.status = 'digest' AND o.created_at <= @Now
            ORDER BY o.created_at, o.id
            """, new { UserId = userId, Now = now }, cancellationToken);

    /// <summary>Writes the digest as one pending message and marks what it holds as digested into it.</summary>
    public async Task<long> AddDigestAsync(DbUnitOfWork db, long userId, IReadOnlyList<DigestEntry> entries, DateOnly today, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var user = await db.QuerySingleOrDefaultAsync<(string Address, string Language)>(
            "SELECT email AS Address, preferred_language AS Language FROM users WHERE id = @UserId", new { UserId = userId }, cancellationToken);
        var token = await EmailPreferenceStore.EnsureTokenAsync(db.Connection, db.Transaction, db.Dialect, userId, now, cancellationToken);
        var items = entries.Select(e => new DigestItem(e.Title, e.Body, settings.Link(NotificationLinks.PathFor(e.Kind, e.ChallengeId)), e.CreatedAt)).ToList();
        var mail = EmailTemplates.Digest(user.Language, today, items, Links(EmailKinds.Digest, null, token));
        var digestId = await InsertAsync(db.Connection, db.Transaction, null, userId, EmailKinds.Digest, user.Address, user.Language, mail, EmailStatus.Pending, now, cancellationToken);
        foreach (var slice in entries.Select(e => e.Id).Chunk(500))
        {
            await db.ExecuteAsync(
                $"UPDATE email_outbox SET status = 'digested', digest_id = @DigestId, updated_at = @Now WHERE status = 'digest' AND {db.Dialect.InList("id", "@Ids")}",
                new { DigestId = digestId, Now = now, Ids = slice.ToList() }, cancellationToken);
        }

        return digestId;
    }

    // ---- Administration -----------------------------------------------------------------------------------------------

    public async Task<OutboxOverview> OverviewAsync(int deadLetters, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var counts = (await connection.QueryAsync<(string Status, int Count)>(new CommandDefinition(
            "SELECT status AS Status, COUNT(*) AS Count FROM email_outbox GROUP BY status", cancellationToken: cancellationToken)))
            .ToDictionary(c => c.Status, c => c.Count, StringComparer.Ordinal);
        var dead = (await connection.QueryAsync<OutboxMessage>(new CommandDefinition(
            $"""
            SELECT id AS Id, recipient_user_id AS RecipientUserId, recipient_address AS RecipientAddress, kind AS Kind, subject AS Subject, status AS Status,
                   attempts AS Attempts, last_error AS LastError, message_id AS MessageId, created_at AS CreatedAt, updated_at AS UpdatedAt
            FROM email_outbox WHERE status = 'dead'
            ORDER BY updated_at DESC, id DESC
            {connections.Dialect.Page}
            """, new { Skip = 0, Take = deadLetters }, cancellationToken: cancellationToken))).AsList();
        return new OutboxOverview(EmailStatus.All.Select(s => new OutboxStatusCount(s, counts.GetValueOrDefault(s))).ToList(), dead);
    }

    public Task<string?> StatusOfAsync(IUnitOfWork work, long messageId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<string>("SELECT status FROM email_outbox WHERE id = @Id", new { Id = messageId }, cancellationToken);

    public async Task<bool> RetryAsync(IUnitOfWork work, long messageId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync(
            """
            UPDATE email_outbox SET status = 'pending', attempts = 0, next_attempt_at = @At, claim_owner = NULL, claim_expires_at = NULL, updated_at = @At
            WHERE id = @Id AND status = 'dead'
            """, new { Id = messageId, At = at }, cancellationToken) == 1;
}
