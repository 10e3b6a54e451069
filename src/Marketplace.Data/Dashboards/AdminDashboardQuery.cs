using Dapper;
using Marketplace.Core.Features.Email;

namespace Marketplace.Data.Dashboards;

public sealed record NamedCount
{
    public string Name { get; init; } = "";
    public int Count { get; init; }
}

public sealed record DeadLetterRow
{
    public long Id { get; init; }
    public string RecipientAddress { get; init; } = "";
    public string Subject { get; init; } = "";
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed record AdminDashboard(
    int Users,
    int NewUsers,
    IReadOnlyList<NamedCount> UsersByRole,
    IReadOnlyList<NamedCount> OrganisationsByKind,
    IReadOnlyList<NamedCount> EmailByStatus,
    DateTimeOffset? OldestPendingEmail,
    IReadOnlyList<DeadLetterRow> DeadLetters);

/// <summary>
/// The administrator's dashboard from the application's tables, in one command: users (by role, new in the last 30
/// days), organisations by kind, and the e-mail outbox's health (messages per status, the oldest message still waiting,
/// the newest dead letters). Background jobs come from Hangfire's own storage (Marketplace.Jobs' JobHealth).
/// </summary>
public sealed class AdminDashboardQuery(DbConnectionFactory connections)
{
    public const int DeadLetterCount = 5;

    public async Task<AdminDashboard> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT (SELECT COUNT(*) FROM users) AS Users, (SELECT COUNT(*) FROM users WHERE created_at >= @Since) AS NewUsers,
                   (SELECT MIN(created_at) FROM email_outbox WHERE status = @Pending) AS OldestPendingEmail;
            SELECT r.name AS Name, COUNT(ur.user_id) AS Count FROM roles r LEFT JOIN user_roles ur ON ur.role_id = r.id GROUP BY r.id, r.name ORDER BY r.id;
            SELECT kind AS Name, COUNT(*) AS Count FROM organisations GROUP BY kind ORDER BY kind;
            SELECT status AS Name, COUNT(*) AS Count FROM email_outbox GROUP BY status ORDER BY status;
            SELECT id AS Id, recipient_address AS RecipientAddress, subject AS Subject, attempts AS Attempts, last_error AS LastError, updated_at AS UpdatedAt
            FROM email_outbox WHERE status = @Dead ORDER BY updated_at DESC, id DESC
            {connections.Dialect.Page};
            """, new { Since = now.AddDays(-30), Pending = EmailStatus.Pending, Dead = EmailStatus.Dead, Skip = 0, Take = DeadLetterCount },
            cancellationToken: cancellationToken));
        var totals = await results.ReadSingleAsync<UserTotals>();
        var roles = (await results.ReadAsync<NamedCount>()).ToList();
        var organisations = (await results.ReadAsync<NamedCount>()).ToList();
        var email = (await results.ReadAsync<NamedCount>()).ToList();
        var dead = (await results.ReadAsync<DeadLetterRow>()).ToList();
        return new AdminDashboard(totals.Users, totals.NewUsers, roles, organisations, email, totals.OldestPendingEmail, dead);
    }

    private sealed class UserTotals
    {
        public int Users { get; init; }
        public int NewUsers { get; init; }
        public DateTimeOffset? OldestPendingEmail { get; init; }
    }
}
