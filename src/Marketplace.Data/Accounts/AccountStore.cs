using Marketplace.Core.Application;
using Marketplace.Core.Features.Accounts;
using Marketplace.Core.Organisations;
using Marketplace.Data.Application;
using Marketplace.Data.Organisations;

namespace Marketplace.Data.Accounts;

/// <summary>The account use cases' reads and writes of organisations, memberships and invitations, inside their transaction.</summary>
public sealed class AccountStore(OrganisationStore organisations) : IAccountStore
{
    async Task<bool> IAccountStore.OrganisationNameTakenAsync(IUnitOfWork work, string name, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>(
            "SELECT COUNT(*) FROM organisations WHERE LOWER(name) = LOWER(@Name) OR LOWER(name_en) = LOWER(@Name)",
            new { Name = name }, cancellationToken) > 0;

    Task<string> IAccountStore.UniqueSlugAsync(IUnitOfWork work, OrganisationKind kind, string? preferredName, string name, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        return Slugs.UniqueAsync(db.Connection, db.Transaction, kind, preferredName, name, cancellationToken);
    }

    Task<long> IAccountStore.CreateOrganisationAsync(IUnitOfWork work, NewOrganisation organisation, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        return organisations.CreateAsync(db.Connection, db.Transaction, organisation, cancellationToken);
    }

    async Task<OrganisationRef?> IAccountStore.FindOrganisationAsync(IUnitOfWork work, string slug, CancellationToken cancellationToken)
    {
        var row = await DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<OrganisationRow>(
            "SELECT id AS Id, slug AS Slug, kind AS KindText FROM organisations WHERE slug = @Slug", new { Slug = slug }, cancellationToken);
        return row is null ? null : new OrganisationRef(row.Id, row.Slug, OrganisationKinds.FromStorage(row.KindText));
    }

    async Task<bool> IAccountStore.HasMembersAsync(IUnitOfWork work, long organisationId, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>(
            "SELECT COUNT(*) FROM memberships WHERE organisation_id = @OrganisationId", new { OrganisationId = organisationId }, cancellationToken) > 0;

    Task IAccountStore.AddMemberAsync(IUnitOfWork work, long organisationId, long userId, bool isOwner, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        return organisations.AddMemberAsync(db.Connection, db.Transaction, organisationId, userId, isOwner, cancellationToken);
    }

    async Task<bool> IAccountStore.IsOwnerAsync(IUnitOfWork work, long userId, long organisationId, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>(
            "SELECT COUNT(*) FROM memberships WHERE user_id = @UserId AND organisation_id = @OrganisationId AND is_owner = @IsOwner",
            new { UserId = userId, OrganisationId = organisationId, IsOwner = true }, cancellationToken) > 0;

    async Task<bool> IAccountStore.HasMemberWithEmailAsync(IUnitOfWork work, long organisationId, string normalizedEmail, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>(
            """
            SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organisation_id = @OrganisationId AND u.normalized_email = @NormalizedEmail
            """, new { OrganisationId = organisationId, NormalizedEmail = normalizedEmail }, cancellationToken) > 0;

    async Task<StoredInvitation?> IAccountStore.FindInvitationAsync(IUnitOfWork work, string tokenHash, CancellationToken cancellationToken)
    {
        var row = await DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<InvitationRow>(
            """
            SELECT i.id AS Id, i.organisation_id AS OrganisationId, o.slug AS OrganisationSlug, o.name AS OrganisationName, o.kind AS KindText,
                   i.email AS Email, i.expires_at AS ExpiresAt, i.accepted_at AS AcceptedAt
            FROM invitations i JOIN organisations o ON o.id = i.organisation_id
            WHERE i.token_hash = @TokenHash
            """, new { TokenHash = tokenHash }, cancellationToken);
        return row is null
            ? null
            : new StoredInvitation(row.Id, row.OrganisationId, row.OrganisationSlug, row.OrganisationName, OrganisationKinds.FromStorage(row.KindText), row.Email,
                row.ExpiresAt, row.AcceptedAt);
    }

    async Task<long> IAccountStore.ReplaceInvitationAsync(IUnitOfWork work, long organisationId, string email, string tokenHash, long invitedBy, DateTimeOffset now,
        DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);

        // A new invitation replaces any earlier open one for the same address: only the latest link works.
        await db.ExecuteAsync(
            """
            UPDATE invitations SET expires_at = @Now
            WHERE organisation_id = @OrganisationId AND LOWER(email) = LOWER(@Email) AND accepted_at IS NULL AND expires_at > @Now
            """, new { OrganisationId = organisationId, Email = email, Now = now }, cancellationToken);
        return await db.ScalarAsync<long>(
            db.Dialect.InsertReturningId(
                "invitations",
                "organisation_id, email, token_hash, invited_by, created_at, expires_at",
                "@OrganisationId, @Email, @TokenHash, @InvitedBy, @Now, @ExpiresAt"),
            new { OrganisationId = organisationId, Email = email, TokenHash = tokenHash, InvitedBy = invitedBy, Now = now, ExpiresAt = expiresAt }, cancellationToken);
    }

    async Task<bool> IAccountStore.MarkAcceptedAsync(IUnitOfWork work, long invitationId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync(
            "UPDATE invitations SET accepted_at = @Now WHERE id = @Id AND accepted_at IS NULL", new { Now = now, Id = invitationId }, cancellationToken) > 0;

    private sealed class OrganisationRow
    {
        public long Id { get; init; }
        public string Slug { get; init; } = "";
        public string KindText { get; init; } = "";
    }

    private sealed class InvitationRow
    {
        public long Id { get; init; }
        public long OrganisationId { get; init; }
        public string OrganisationSlug { get; init; } = "";
        public string OrganisationName { get; init; } = "";
        public string KindText { get; init; } = "";
        public string Email { get; init; } = "";
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? AcceptedAt { get; init; }
    }
}
