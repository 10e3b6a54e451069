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
/// An enterprise or a vendor signs up: the organisation and its first user, who owns it. Field names are the
/// register form's. <see cref="Kind"/> is "enterprise" or "vendor".
/// </summary>
public sealed record RegisterOrganisation
{
    public string? Kind { get; init; }
    public string? OrganisationName { get; init; }
    public string? OrganisationNameEn { get; init; }
    public string? DisplayName { get; init; }
    public string? Email { get; init; }
    public string? Password { get; init; }
    public string? ConfirmPassword { get; init; }
    public string? PreferredLanguage { get; init; }
}

public sealed record RegisteredOrganisation(long UserId, long OrganisationId, string Slug, string Role);

public sealed class RegisterOrganisationHandler(
    UserManager<AppUser> users,
    DbConnectionFactory connections,
    IdentityUnitOfWork database,
    OrganisationStore organisations,
    TimeProvider clock)
{
    public const string KindRequired = "Choose whether you register a manufacturer (enterprise) or an AI vendor.";
    public const string OrganisationNameRequired = "Enter your organisation's registered name.";
    public const string OrganisationNameTooLong = "The organisation name must be at most 200 characters.";
    public const string OrganisationNameTaken = "An organisation with this name is already registered. Ask its owner to invite you.";

    public async Task<Result<RegisteredOrganisation>> HandleAsync(RegisterOrganisation request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        OrganisationKind? kind = request.Kind?.Trim().ToLowerInvariant() switch
        {
            "enterprise" => OrganisationKind.Enterprise,
            "vendor" => OrganisationKind.Vendor,
            _ => null,
        };
        if (kind is null)
        {
            errors.Add(nameof(request.Kind), KindRequired);
        }

        var name = request.OrganisationName?.Trim();
        var nameEn = string.IsNullOrWhiteSpace(request.OrganisationNameEn) ? null : request.OrganisationNameEn.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(nameof(request.OrganisationName), OrganisationNameRequired);
        }
        else if (name.Length > AccountRules.OrganisationNameMaxLength)
        {
            errors.Add(nameof(request.OrganisationName), OrganisationNameTooLong);
        }
        else if (await OrganisationNameTakenAsync(name, cancellationToken))
        {
            errors.Add(nameof(request.OrganisationName), OrganisationNameTaken);
        }

        if (nameEn is { Length: > AccountRules.OrganisationNameMaxLength })
        {
            errors.Add(nameof(request.OrganisationNameEn), OrganisationNameTooLong);
        }

        var displayName = AccountValidation.DisplayName(errors, nameof(request.DisplayName), request.DisplayName);
        var email = AccountValidation.Email(errors, nameof(request.Email), request.Email);
        if (email is not null && await users.FindByEmailAsync(email) is not null)
        {
            errors.Add(nameof(request.Email), AccountValidation.EmailTaken);
        }

        var user = new AppUser
        {
            UserName = email ?? "",
            Email = email ?? "",
            DisplayName = displayName ?? "",
            PreferredLanguage = AccountRules.Language(request.PreferredLanguage),
            CreatedAt = clock.GetUtcNow(),
        };
        await AccountValidation.PasswordAsync(errors, nameof(request.Password), request.Password, users, user, nameof(request.ConfirmPassword), request.ConfirmPassword);
        if (!errors.IsEmpty)
        {
            return errors.ToError();
        }

        var role = AccountRules.RoleFor(kind!.Value);
        await using var work = await database.BeginAsync(cancellationToken);
        try
        {
            var slug = await Slugs.UniqueAsync(work.Connection, work.Transaction, kind.Value, nameEn, name!, cancellationToken);
            var organisationId = await organisations.CreateAsync(work.Connection, work.Transaction, new NewOrganisation(slug, kind.Value, name!, nameEn), cancellationToken);

            var created = await users.CreateAsync(user, request.Password!);
            if (!created.Succeeded)
            {
                return AccountValidation.FromIdentity(created, nameof(request.Email), nameof(request.Password));
            }

            var inRole = await users.AddToRoleAsync(user, role);
            if (!inRole.Succeeded)
            {
                return AccountValidation.FromIdentity(inRole, nameof(request.Email), nameof(request.Password));
            }

            await organisations.AddMemberAsync(work.Connection, work.Transaction, organisationId, user.Id, isOwner: true, cancellationToken);
            await work.CommitAsync(cancellationToken);
            return new RegisteredOrganisation(user.Id, organisationId, slug, role);
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return Error.Conflict("Another registration with the same details finished at the same moment. Please check and try again.");
        }
    }

    private async Task<bool> OrganisationNameTakenAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var count = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM organisations WHERE LOWER(name) = LOWER(@Name) OR LOWER(name_en) = LOWER(@Name)",
            new { Name = name }, cancellationToken: cancellationToken));
        return count > 0;
    }
}
