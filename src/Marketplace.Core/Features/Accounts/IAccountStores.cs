using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Common;
using Marketplace.Core.Organisations;

namespace Marketplace.Core.Features.Accounts;

/// <summary>An invitation as the accept step needs it, read by its token's hash.</summary>
public sealed record StoredInvitation(
    long Id, long OrganisationId, string OrganisationSlug, string OrganisationName, OrganisationKind OrganisationKind, string Email,
    DateTimeOffset ExpiresAt, DateTimeOffset? AcceptedAt);

/// <summary>An organisation as the account use cases need it.</summary>
public sealed record OrganisationRef(long Id, string Slug, OrganisationKind Kind);

/// <summary>Organisations, memberships and invitations, read and written inside the use case's transaction.</summary>
public interface IAccountStore
{
    /// <summary>Whether an organisation already has this name (or English name), in any case.</summary>
    Task<bool> OrganisationNameTakenAsync(IUnitOfWork work, string name, CancellationToken cancellationToken);

    /// <summary>A slug for a new organisation that no other organisation has.</summary>
    Task<string> UniqueSlugAsync(IUnitOfWork work, OrganisationKind kind, string? preferredName, string name, CancellationToken cancellationToken);

    Task<long> CreateOrganisationAsync(IUnitOfWork work, NewOrganisation organisation, CancellationToken cancellationToken);

    Task<OrganisationRef?> FindOrganisationAsync(IUnitOfWork work, string slug, CancellationToken cancellationToken);

    Task<bool> HasMembersAsync(IUnitOfWork work, long organisationId, CancellationToken cancellationToken);

    /// <summary>Adds a user to an organisation; a repeated call changes nothing.</summary>
    Task AddMemberAsync(IUnitOfWork work, long organisationId, long userId, bool isOwner, CancellationToken cancellationToken);

    Task<bool> IsOwnerAsync(IUnitOfWork work, long userId, long organisationId, CancellationToken cancellationToken);

    /// <summary>Whether someone with this (normalised) e-mail address is already a member.</summary>
    Task<bool> HasMemberWithEmailAsync(IUnitOfWork work, long organisationId, string normalizedEmail, CancellationToken cancellationToken);

    Task<StoredInvitation?> FindInvitationAsync(IUnitOfWork work, string tokenHash, CancellationToken cancellationToken);

    /// <summary>Stores a new invitation after expiring any earlier open one for the same address; returns its id.</summary>
    Task<long> ReplaceInvitationAsync(IUnitOfWork work, long organisationId, string email, string tokenHash, long invitedBy, DateTimeOffset now,
        DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Marks an open invitation accepted; false when it was accepted meanwhile.</summary>
    Task<bool> MarkAcceptedAsync(IUnitOfWork work, long invitationId, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// The user accounts as ASP.NET Core Identity keeps them (password hashing and rules, roles, normalised addresses),
/// behind the few operations the account use cases make. Implemented in Marketplace.Data, where Identity's stores
/// join the use case's transaction; Identity's failures come back in this application's words.
/// </summary>
public interface IAccountIdentity
{
    Task<bool> EmailTakenAsync(IUnitOfWork work, string email, CancellationToken cancellationToken);

    Task<AppUser?> FindUserAsync(IUnitOfWork work, long userId, CancellationToken cancellationToken);

    /// <summary>
    /// The password rules <paramref name="password"/> breaks, in the order Identity's validators report them: each
    /// with the field it belongs to (<paramref name="field"/>, or "" for a rule this application has no words for).
    /// </summary>
    Task<IReadOnlyList<FieldMessage>> PasswordProblemsAsync(AppUser user, string password, string field);

    /// <summary>Creates the user with the password; an Identity failure as an Error whose fields are the given names.</summary>
    Task<Error?> CreateAsync(IUnitOfWork work, AppUser user, string password, string emailField, string passwordField, CancellationToken cancellationToken);

    Task<bool> IsInRoleAsync(IUnitOfWork work, AppUser user, string role, CancellationToken cancellationToken);

    Task<Error?> AddToRoleAsync(IUnitOfWork work, AppUser user, string role, string emailField, string passwordField, CancellationToken cancellationToken);

    /// <summary>The form of an e-mail address that lookups compare.</summary>
    string NormalizeEmail(string email);

    /// <summary>Whether a database exception means the same account or organisation was created at the same moment.</summary>
    bool IsDuplicate(Exception exception);
}

/// <summary>A message beside a form field ("" for the form as a whole).</summary>
public sealed record FieldMessage(string Field, string Message);
