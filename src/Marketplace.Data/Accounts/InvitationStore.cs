using Dapper;
using Marketplace.Core.Features.Accounts;
using Marketplace.Core.Organisations;

namespace Marketplace.Data.Accounts;

/// <summary>Invitations as the pages show them: one by its link's token, or an organisation's open ones.</summary>
public sealed class InvitationStore(DbConnectionFactory connections)
{
    public async Task<InvitationDetails?> FindByTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<InvitationDetails>(new CommandDefinition(
            """
            SELECT i.id AS Id, i.organisation_id AS OrganisationId, o.name AS OrganisationName, o.kind AS OrganisationKindText,
                   i.email AS Email, u.display_name AS InvitedByName, i.created_at AS CreatedAt, i.expires_at AS ExpiresAt,
                   i.accepted_at AS AcceptedAt
            FROM invitations i
            JOIN organisations o ON o.id = i.organisation_id
            JOIN users u ON u.id = i.invited_by
            WHERE i.token_hash = @TokenHash
            """, new { TokenHash = Secrets.HashToken(token) }, cancellationToken: cancellationToken));
    }

    /// <summary>Invitations not yet accepted nor expired, newest first.</summary>
    public async Task<IReadOnlyList<PendingInvitation>> PendingAsync(long organisationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PendingInvitation>(new CommandDefinition(
            """
            SELECT i.id AS Id, i.email AS Email, u.display_name AS InvitedByName, i.created_at AS CreatedAt, i.expires_at AS ExpiresAt
            FROM invitations i JOIN users u ON u.id = i.invited_by
            WHERE i.organisation_id = @OrganisationId AND i.accepted_at IS NULL AND i.expires_at > @Now
            ORDER BY i.created_at DESC, i.id DESC
            """, new { OrganisationId = organisationId, Now = now }, cancellationToken: cancellationToken));
        return rows.ToList();
    }
}

public sealed record InvitationDetails
{
    public long Id { get; init; }
    public long OrganisationId { get; init; }
    public string OrganisationName { get; init; } = "";
    public string OrganisationKindText { get; init; } = "";
    public string Email { get; init; } = "";
    public string InvitedByName { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }

    public OrganisationKind OrganisationKind => OrganisationKinds.FromStorage(OrganisationKindText);

    public bool IsAccepted => AcceptedAt is not null;

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;
}

public sealed record PendingInvitation
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public string InvitedByName { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}
