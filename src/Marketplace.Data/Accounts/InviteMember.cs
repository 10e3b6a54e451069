using Dapper;
using Marketplace.Core.Accounts;
using Marketplace.Core.Common;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Data.Accounts;

/// <summary>An owner invites someone by e-mail to join their organisation.</summary>
public sealed record InviteMember(long OrganisationId, long InvitedByUserId, string? Email);

/// <summary>
/// The new invitation. <see cref="Token"/> exists only here (the database keeps its hash), so the caller must
/// show or send <see cref="AcceptPath"/> now; e-mail delivery comes later, until then the page shows the link.
/// </summary>
public sealed record InvitationCreated(long InvitationId, string Email, string Token, string AcceptPath, DateTimeOffset ExpiresAt);

public sealed class InviteMemberHandler(DbConnectionFactory connections, ILookupNormalizer normalizer, TimeProvider clock)
{
    public const string NotOwner = "Only an owner of the organisation can invite members.";
    public const string AlreadyMember = "This person is already a member of your organisation.";

    public static string AcceptPathFor(string token) => $"/account/invitations/{token}";

    public async Task<Result<InvitationCreated>> HandleAsync(InviteMember request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var email = AccountValidation.Email(errors, nameof(request.Email), request.Email);
        if (email is null)
        {
            return errors.ToError();
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var owners = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM memberships WHERE user_id = @UserId AND organisation_id = @OrganisationId AND is_owner = @IsOwner",
            new { UserId = request.InvitedByUserId, request.OrganisationId, IsOwner = true }, cancellationToken: cancellationToken));
        if (owners == 0)
        {
            return Error.Forbidden(NotOwner);
        }

        var members = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organisation_id = @OrganisationId AND u.normalized_email = @NormalizedEmail
            """, new { request.OrganisationId, NormalizedEmail = normalizer.NormalizeEmail(email) }, cancellationToken: cancellationToken));
        if (members > 0)
        {
            return Error.Invalid(nameof(request.Email), AlreadyMember);
        }

        var now = clock.GetUtcNow();
        var token = Secrets.NewToken();
        var expiresAt = now + AccountRules.InvitationLifetime;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // A new invitation replaces any earlier open one for the same address: only the latest link works.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE invitations SET expires_at = @Now
            WHERE organisation_id = @OrganisationId AND LOWER(email) = LOWER(@Email) AND accepted_at IS NULL AND expires_at > @Now
            """, new { request.OrganisationId, Email = email, Now = now }, transaction, cancellationToken: cancellationToken));
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            connections.Dialect.InsertReturningId(
                "invitations",
                "organisation_id, email, token_hash, invited_by, created_at, expires_at",
                "@OrganisationId, @Email, @TokenHash, @InvitedBy, @Now, @ExpiresAt"),
            new { request.OrganisationId, Email = email, TokenHash = Secrets.HashToken(token), InvitedBy = request.InvitedByUserId, Now = now, ExpiresAt = expiresAt },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new InvitationCreated(id, email, token, AcceptPathFor(token), expiresAt);
    }
}
