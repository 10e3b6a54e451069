using System.Data.Common;
using Dapper;
using Marketplace.Core.Organisations;

namespace Marketplace.Data.Organisations;

/// <summary>Organisations and the memberships of users in them.</summary>
public sealed class OrganisationStore(DbConnectionFactory connections, TimeProvider clock)
{
    private const string SelectColumns = """
        SELECT id AS Id, slug AS Slug, kind AS KindText, name AS Name, name_en AS NameEn, industry AS Industry,
               city AS City, headcount AS Headcount, founded_year AS FoundedYear, website AS Website,
               description AS Description, created_at AS CreatedAt
        FROM organisations
        """;

    /// <summary>Creates an organisation inside the caller's transaction and returns its id.</summary>
    public async Task<long> CreateAsync(DbConnection connection, DbTransaction? transaction, NewOrganisation organisation, CancellationToken cancellationToken)
    {
        var sql = connections.Dialect.InsertReturningId(
            "organisations",
            "slug, kind, name, name_en, industry, city, headcount, founded_year, website, description, created_at",
            "@Slug, @Kind, @Name, @NameEn, @Industry, @City, @Headcount, @FoundedYear, @Website, @Description, @CreatedAt");
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            organisation.Slug,
            Kind = organisation.Kind.ToStorage(),
            organisation.Name,
            organisation.NameEn,
            organisation.Industry,
            organisation.City,
            organisation.Headcount,
            organisation.FoundedYear,
            organisation.Website,
            organisation.Description,
            CreatedAt = clock.GetUtcNow(),
        }, transaction, cancellationToken: cancellationToken));
    }

    public async Task<Organisation?> FindBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OrganisationRow>(new CommandDefinition(
            SelectColumns + " WHERE slug = @Slug", new { Slug = slug }, cancellationToken: cancellationToken));
        return row?.ToOrganisation();
    }

    public async Task<Organisation?> FindByIdAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OrganisationRow>(new CommandDefinition(
            SelectColumns + " WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToOrganisation();
    }

    /// <summary>The organisations a user belongs to, oldest membership first.</summary>
    public async Task<IReadOnlyList<Organisation>> ForUserAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<OrganisationRow>(new CommandDefinition(
            """
            SELECT o.id AS Id, o.slug AS Slug, o.kind AS KindText, o.name AS Name, o.name_en AS NameEn, o.industry AS Industry,
                   o.city AS City, o.headcount AS Headcount, o.founded_year AS FoundedYear, o.website AS Website,
                   o.description AS Description, o.created_at AS CreatedAt
            FROM organisations o
            JOIN memberships m ON m.organisation_id = o.id
            WHERE m.user_id = @UserId
            ORDER BY m.created_at, o.id
            """, new { UserId = userId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToOrganisation()).ToList();
    }

    /// <summary>Adds a user to an organisation inside the caller's transaction; a repeated call changes nothing.</summary>
    public async Task AddMemberAsync(DbConnection connection, DbTransaction? transaction, long organisationId, long userId, bool isOwner, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM memberships WHERE user_id = @UserId AND organisation_id = @OrganisationId",
            new { UserId = userId, OrganisationId = organisationId }, transaction, cancellationToken: cancellationToken));
        if (exists == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO memberships (user_id, organisation_id, is_owner, created_at) VALUES (@UserId, @OrganisationId, @IsOwner, @CreatedAt)",
                new { UserId = userId, OrganisationId = organisationId, IsOwner = isOwner, CreatedAt = clock.GetUtcNow() },
                transaction, cancellationToken: cancellationToken));
        }
    }

    /// <summary>Members of an organisation with their e-mail, for the members page.</summary>
    public async Task<IReadOnlyList<OrganisationMember>> MembersAsync(long organisationId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<OrganisationMember>(new CommandDefinition(
            """
            SELECT u.id AS UserId, u.display_name AS DisplayName, u.email AS Email, m.is_owner AS IsOwner, m.created_at AS JoinedAt
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organisation_id = @OrganisationId
            ORDER BY m.created_at, u.id
            """, new { OrganisationId = organisationId }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>Init properties, not a positional record: Dapper converts column types (SQLite's Int64) only for properties.</summary>
    private sealed class OrganisationRow
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string KindText { get; init; } = "";
        public string Name { get; init; } = "";
        public string? NameEn { get; init; }
        public string? Industry { get; init; }
        public string? City { get; init; }
        public int? Headcount { get; init; }
        public int? FoundedYear { get; init; }
        public string? Website { get; init; }
        public string? Description { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public Organisation ToOrganisation() => new(
            Id, Slug, OrganisationKinds.FromStorage(KindText), Name, NameEn, Industry, City, Headcount, FoundedYear, Website, Description, CreatedAt);
    }
}

public sealed record OrganisationMember
{
    public long UserId { get; init; }
    public string DisplayName { get; init; } = "";
    public string Email { get; init; } = "";
    public bool IsOwner { get; init; }
    public DateTimeOffset JoinedAt { get; init; }
}
