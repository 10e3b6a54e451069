using Dapper;
using Marketplace.Core.Common;
using Marketplace.Core.Organisations;

namespace Marketplace.Data.Accounts;

/// <summary>Read models about people: the administrators' user list and a user's memberships.</summary>
public sealed class UserDirectory(DbConnectionFactory connections)
{
    /// <summary>Users oldest first, each with their roles and organisations.</summary>
    public async Task<Paged<UserSummary>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM users", cancellationToken: cancellationToken));
        var rows = (await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"""
            SELECT id AS Id, email AS Email, display_name AS DisplayName, created_at AS CreatedAt, lockout_end AS LockoutEnd
            FROM users
            ORDER BY id
            {connections.Dialect.Page}
            """, new { page.Skip, Take = page.PageSize }, cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return new Paged<UserSummary>([], total, page.Page, page.PageSize);
        }

        var ids = rows.Select(r => r.Id).ToArray();

        var roles = (await connection.QueryAsync<UserRoleRow>(new CommandDefinition(
            $"SELECT ur.user_id AS UserId, r.name AS Name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE {connections.Dialect.InList("ur.user_id", "@Ids")} ORDER BY r.id",
            new { Ids = ids }, cancellationToken: cancellationToken))).ToLookup(r => r.UserId, r => r.Name);
        var memberships = (await connection.QueryAsync<MembershipRow>(new CommandDefinition(
            $"""
            {MembershipSelect}
            WHERE {connections.Dialect.InList("m.user_id", "@Ids")}
            ORDER BY m.created_at, o.id
            """, new { Ids = ids }, cancellationToken: cancellationToken))).ToLookup(m => m.UserId, m => m.ToMembership());
        var items = rows.Select(r => new UserSummary(r.Id, r.Email, r.DisplayName, r.CreatedAt, r.LockoutEnd, roles[r.Id].ToList(), memberships[r.Id].ToList())).ToList();
        return new Paged<UserSummary>(items, total, page.Page, page.PageSize);
    }

    /// <summary>The organisations a user belongs to, with whether they own each, oldest membership first.</summary>
    public async Task<IReadOnlyList<Membership>> MembershipsAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MembershipRow>(new CommandDefinition(
            $"""
            {MembershipSelect}
            WHERE m.user_id = @UserId
            ORDER BY m.created_at, o.id
            """, new { UserId = userId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToMembership()).ToList();
    }

    private const string MembershipSelect = """
        SELECT m.user_id AS UserId, o.id AS OrganisationId, o.slug AS Slug, o.name AS Name, o.kind AS KindText, m.is_owner AS IsOwner
        FROM memberships m JOIN organisations o ON o.id = m.organisation_id
        """;

    private sealed class UserRow
    {
        public long Id { get; init; }
        public string Email { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? LockoutEnd { get; init; }
    }

    private sealed class UserRoleRow
    {
        public long UserId { get; init; }
        public string Name { get; init; } = "";
    }

    private sealed class MembershipRow
    {
        public long UserId { get; init; }
        public long OrganisationId { get; init; }
        public string Slug { get; init; } = "";
        public string Name { get; init; } = "";
        public string KindText { get; init; } = "";
        public bool IsOwner { get; init; }

        public Membership ToMembership() => new(OrganisationId, Slug, Name, OrganisationKinds.FromStorage(KindText), IsOwner);
    }
}

public sealed record Membership(long OrganisationId, string Slug, string Name, OrganisationKind Kind, bool IsOwner);

public sealed record UserSummary(
    long Id,
    string Email,
    string DisplayName,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LockoutEnd,
    IReadOnlyList<string> Roles,
    IReadOnlyList<Membership> Organisations)
{
    public bool IsLockedOut(DateTimeOffset now) => LockoutEnd is { } end && end > now;
}
