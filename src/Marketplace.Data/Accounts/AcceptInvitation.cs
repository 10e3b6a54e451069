using System.Globalization;
using Dapper;
using Marketplace.Core.Accounts;
using Marketplace.Core.Common;
using Marketplace.Core.Organisations;
using Marketplace.Data.Identity;
using Marketplace.Data.Organisations;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Data.Accounts;

/// <summary>
/// Someone follows an invitation link. With <see cref="ExistingUserId"/> (they are signed in) the account
/// joins the organisation; otherwise a new account is made for the invited address with the name and
/// password given. Either way the member gets the organisation's role (enterprise → Enterprise, vendor → Vendor).
/// </summary>
public sealed record AcceptInvitation
{
    public string Token { get; init; } = "";
    public long? ExistingUserId { get; init; }
    public string? DisplayName { get; init; }
    public string? Password { get; init; }
    public string? ConfirmPassword { get; init; }
    public string? PreferredLanguage { get; init; }
}

public sealed record AcceptedInvitation(long UserId, long OrganisationId, string OrganisationSlug, string OrganisationName, bool AccountCreated);

public sealed class AcceptInvitationHandler(UserManager<AppUser> users, IdentityUnitOfWork database, OrganisationStore organisations, TimeProvider clock)
{
    public const string InvalidLink = "This invitation link is not valid. Check that you copied all of it.";
    public const string AlreadyUsed = "This invitation has already been accepted.";
    public const string Expired = "This invitation has expired. Ask the organisation's owner to send a new one.";
    public const string AccountExists = "An account with this e-mail address already exists. Sign in to accept the invitation.";

    public async Task<Result<AcceptedInvitation>> HandleAsync(AcceptInvitation request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var work = await database.BeginAsync(cancellationToken);
        var invitation = await work.Connection.QuerySingleOrDefaultAsync<InvitationRow>(new CommandDefinition(
            """
            SELECT i.id AS Id, i.organisation_id AS OrganisationId, o.slug AS OrganisationSlug, o.name AS OrganisationName, o.kind AS KindText,
                   i.email AS Email, i.expires_at AS ExpiresAt, i.accepted_at AS AcceptedAt
            FROM invitations i JOIN organisations o ON o.id = i.organisation_id
            WHERE i.token_hash = @TokenHash
            """, new { TokenHash = Secrets.HashToken(request.Token ?? "") }, work.Transaction, cancellationToken: cancellationToken));
        if (invitation is null)
        {
            return Error.NotFound(InvalidLink);
        }

        if (invitation.AcceptedAt is not null)
        {
            return Error.Conflict(AlreadyUsed);
        }

        if (now >= invitation.ExpiresAt)
        {
            return Error.Conflict(Expired);
        }

        var role = AccountRules.RoleFor(OrganisationKinds.FromStorage(invitation.KindText));
        AppUser user;
        var created = false;
        if (request.ExistingUserId is { } userId)
        {
            var existing = await users.FindByIdAsync(userId.ToString(CultureInfo.InvariantCulture));
            if (existing is null)
            {
                return Error.NotFound("Your account no longer exists. Sign out and try again.");
            }

            user = existing;
        }
        else
        {
            var errors = new ValidationErrors();
            if (await users.FindByEmailAsync(invitation.Email) is not null)
            {
                return Error.Conflict(AccountExists);
            }

            var displayName = AccountValidation.DisplayName(errors, nameof(request.DisplayName), request.DisplayName);
            user = new AppUser
            {
                UserName = invitation.Email,
                Email = invitation.Email,
                DisplayName = displayName ?? "",
                PreferredLanguage = AccountRules.Language(request.PreferredLanguage),
                CreatedAt = now,
            };
            await AccountValidation.PasswordAsync(errors, nameof(request.Password), request.Password, users, user, nameof(request.ConfirmPassword), request.ConfirmPassword);
            if (!errors.IsEmpty)
            {
                return errors.ToError();
            }

            var result = await users.CreateAsync(user, request.Password!);
            if (!result.Succeeded)
            {
                return AccountValidation.FromIdentity(result, "Email", nameof(request.Password));
            }

            created = true;
        }

        if (!await users.IsInRoleAsync(user, role))
        {
            var inRole = await users.AddToRoleAsync(user, role);
            if (!inRole.Succeeded)
            {
                return AccountValidation.FromIdentity(inRole, "Email", nameof(request.Password));
            }
        }

        await organisations.AddMemberAsync(work.Connection, work.Transaction, invitation.OrganisationId, user.Id, isOwner: false, cancellationToken);
        var marked = await work.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE invitations SET accepted_at = @Now WHERE id = @Id AND accepted_at IS NULL",
            new { Now = now, invitation.Id }, work.Transaction, cancellationToken: cancellationToken));
        if (marked == 0)
        {
            return Error.Conflict(AlreadyUsed);
        }

        await work.CommitAsync(cancellationToken);
        return new AcceptedInvitation(user.Id, invitation.OrganisationId, invitation.OrganisationSlug, invitation.OrganisationName, created);
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
