using System.Data.Common;
using Dapper;
using Marketplace.Core.Accounts;
using Marketplace.Core.Common;
using Marketplace.Core.Organisations;
using Marketplace.Data.Identity;
using Marketplace.Data.Organisations;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Data.Accounts;

/// <summary>
/// An operator adds a user with any role (<c>marketplace user add --email --role --org [--password]</c>), and the
/// demo seeder adds its people the same way. Field names in errors are the CLI's option names.
/// </summary>
public sealed record AddUser
{
    public string? Email { get; init; }

    /// <summary>Enterprise, Vendor, Reviewer, Officer or Admin, in any case.</summary>
    public string? Role { get; init; }

    /// <summary>Slug of an existing organisation; required for Enterprise and Vendor users, whose work is for one.</summary>
    public string? OrganisationSlug { get; init; }

    /// <summary>When empty a strong password is generated and returned once.</summary>
    public string? Password { get; init; }

    /// <summary>Defaults to the part of the e-mail address before the @.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Whether the user owns the organisation; by default the first member does.</summary>
    public bool? IsOwner { get; init; }

    public string? PreferredLanguage { get; init; }
}

/// <summary>The user made. <see cref="GeneratedPassword"/> is set only when no password was given.</summary>
public sealed record AddedUser(long UserId, string Email, string Role, string? OrganisationSlug, bool IsOwner, string? GeneratedPassword);

public sealed class AddUserHandler(UserManager<AppUser> users, IdentityUnitOfWork database, OrganisationStore organisations, TimeProvider clock)
{
    public const string EmailField = "email";
    public const string RoleField = "role";
    public const string OrganisationField = "org";
    public const string PasswordField = "password";
    public const string DisplayNameField = "name";

    public async Task<Result<AddedUser>> HandleAsync(AddUser request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var email = AccountValidation.Email(errors, EmailField, request.Email);
        if (email is not null && await users.FindByEmailAsync(email) is not null)
        {
            errors.Add(EmailField, AccountValidation.EmailTaken);
        }

        var role = Roles.Canonical(request.Role);
        if (role is null)
        {
            errors.Add(RoleField, $"Unknown role '{request.Role}'. Use one of: {string.Join(", ", Roles.All)}.");
        }

        Organisation? organisation = null;
        if (!string.IsNullOrWhiteSpace(request.OrganisationSlug))
        {
            organisation = await organisations.FindBySlugAsync(request.OrganisationSlug.Trim(), cancellationToken);
            if (organisation is null)
            {
                errors.Add(OrganisationField, $"No organisation has the slug '{request.OrganisationSlug.Trim()}'.");
            }
        }

        if (role is Roles.Enterprise or Roles.Vendor)
        {
            var kind = role == Roles.Enterprise ? OrganisationKind.Enterprise : OrganisationKind.Vendor;
            if (string.IsNullOrWhiteSpace(request.OrganisationSlug))
            {
                errors.Add(OrganisationField, $"A {role} user works for an organisation: give the slug of a {kind.ToStorage()} organisation.");
            }
            else if (organisation is not null && organisation.Kind != kind)
            {
                errors.Add(OrganisationField, $"'{organisation.Slug}' is a {organisation.Kind.ToStorage().Replace('_', ' ')} organisation; a {role} user belongs to a {kind.ToStorage()} organisation.");
            }
        }

        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email?.Split('@')[0] : request.DisplayName.Trim();
        if (displayName is { Length: > AccountRules.DisplayNameMaxLength })
        {
            errors.Add(DisplayNameField, AccountValidation.DisplayNameTooLong);
        }

        var user = new AppUser
        {
            UserName = email ?? "",
            Email = email ?? "",
            DisplayName = displayName ?? "",
            PreferredLanguage = AccountRules.Language(request.PreferredLanguage),
            CreatedAt = clock.GetUtcNow(),
        };
        var generated = string.IsNullOrEmpty(request.Password) ? Secrets.NewPassword() : null;
        var password = generated ?? request.Password!;
        await AccountValidation.PasswordAsync(errors, PasswordField, password, users, user);
        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        await using var work = await database.BeginAsync(cancellationToken);
        try
        {
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return AccountValidation.FromIdentity(created, EmailField, PasswordField);
            }

            var inRole = await users.AddToRoleAsync(user, role!);
            if (!inRole.Succeeded)
            {
                return AccountValidation.FromIdentity(inRole, EmailField, PasswordField);
            }

            var isOwner = false;
            if (organisation is not null)
            {
                isOwner = request.IsOwner ?? !await HasMembersAsync(work, organisation.Id, cancellationToken);
                await organisations.AddMemberAsync(work.Connection, work.Transaction, organisation.Id, user.Id, isOwner, cancellationToken);
            }

            await work.CommitAsync(cancellationToken);
            return new AddedUser(user.Id, user.Email, role!, organisation?.Slug, isOwner, generated);
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return Error.Invalid(EmailField, AccountValidation.EmailTaken);
        }
    }

    private static async Task<bool> HasMembersAsync(IdentityWork work, long organisationId, CancellationToken cancellationToken)
    {
        var count = await work.Connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM memberships WHERE organisation_id = @OrganisationId",
            new { OrganisationId = organisationId }, work.Transaction, cancellationToken: cancellationToken));
        return count > 0;
    }
}
