using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Common;
using Marketplace.Core.Organisations;

namespace Marketplace.Core.Features.Accounts;

/// <summary>
/// An operator adds a user with any role (<c>marketplace user add --email --role --org [--password]</c>), and the
/// demo seeder adds its people the same way. Field names in errors are the CLI's option names.
/// </summary>
public sealed record AddUserRequest
{
    public string? Email { get; init; }

    /// <summary>Enterprise, Vendor, Reviewer, Officer or Admin, in any case.</summary>
    public string? Role { get; init; }

    /// <summary>Slug of an existing organisation; required for Enterprise and Vendor users, whose work is for one.</summary>
    public string? OrganisationSlug { get; init; }

    /// <summary>When empty a strong password is generated and returned once.</summary>
    public string? Password { get; init; }

    /// <summary>Defaults to the part of the e-mail address before the @.</summary>
    [SingleLine]
    public string? DisplayName { get; init; }

    /// <summary>Whether the user owns the organisation; by default the first member does.</summary>
    public bool? IsOwner { get; init; }

    public string? PreferredLanguage { get; init; }
}

/// <summary>The user made. <see cref="GeneratedPassword"/> is set only when no password was given.</summary>
public sealed record AddedUser(long UserId, string Email, string Role, string? OrganisationSlug, bool IsOwner, string? GeneratedPassword);

/// <summary>What adding a user checks against. <see cref="Password"/> is the one given, or one generated for this run.</summary>
public sealed record NewUserCheck(bool EmailTaken, OrganisationRef? Organisation, AppUser User, string Password, string? GeneratedPassword,
    IReadOnlyList<FieldMessage> PasswordProblems);

/// <summary>Operators (the CLI) and the demo seeder run this; there is no page for it, so it has no access rule of its own.</summary>
public sealed class AddUser(IAccountStore accounts, IAccountIdentity identity) : UseCase<AddUserRequest, NewUserCheck, string, AddedUser>
{
    public const string EmailField = "email";
    public const string RoleField = "role";
    public const string OrganisationField = "org";
    public const string PasswordField = "password";
    public const string DisplayNameField = "name";

    protected override async Task<NewUserCheck?> LoadAsync(UseCaseContext context, AddUserRequest request, CancellationToken cancellationToken)
    {
        var email = AccountValidation.CleanedEmail(request.Email);
        var emailTaken = email is not null && await identity.EmailTakenAsync(context.Work, email, cancellationToken);
        var organisation = string.IsNullOrWhiteSpace(request.OrganisationSlug)
            ? null
            : await accounts.FindOrganisationAsync(context.Work, request.OrganisationSlug.Trim(), cancellationToken);
        var user = new AppUser
        {
            UserName = email ?? "",
            Email = email ?? "",
            DisplayName = DisplayNameOf(request, email) ?? "",
            PreferredLanguage = AccountRules.Language(request.PreferredLanguage),
            CreatedAt = context.Now,
        };
        var generated = string.IsNullOrEmpty(request.Password) ? Secrets.NewPassword() : null;
        var password = generated ?? request.Password!;
        var problems = await AccountValidation.PasswordProblemsAsync(identity, user, password, PasswordField);
        return new NewUserCheck(emailTaken, organisation, user, password, generated, problems);
    }

    protected override Error? Authorise(UseCaseContext context, AddUserRequest request, NewUserCheck? state) =>
        state is null ? Error.NotFound("Nothing to add.") : null;

    /// <summary>Decides the role, or every problem with the request.</summary>
    protected override Result<string> Decide(UseCaseContext context, AddUserRequest request, NewUserCheck state)
    {
        var errors = new ValidationErrors();
        var email = AccountValidation.Email(errors, EmailField, request.Email);
        if (email is not null && state.EmailTaken)
        {
            errors.Add(EmailField, AccountValidation.EmailTaken);
        }

        var role = Roles.Canonical(request.Role);
        if (role is null)
        {
            errors.Add(RoleField, $"Unknown role '{request.Role}'. Use one of: {string.Join(", ", Roles.All)}.");
        }

        var organisation = state.Organisation;
        if (!string.IsNullOrWhiteSpace(request.OrganisationSlug) && organisation is null)
        {
            errors.Add(OrganisationField, $"No organisation has the slug '{request.OrganisationSlug.Trim()}'.");
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

        if (DisplayNameOf(request, email) is { Length: > AccountRules.DisplayNameMaxLength })
        {
            errors.Add(DisplayNameField, AccountValidation.DisplayNameTooLong);
        }

        AccountValidation.Password(errors, PasswordField, state.Password, state.PasswordProblems);
        return errors.IsEmpty ? role! : errors.ToError();
    }

    protected override async Task<Result<AddedUser>> ApplyAsync(UseCaseContext context, AddUserRequest request, NewUserCheck state, string role,
        CancellationToken cancellationToken)
    {
        var user = state.User;
        try
        {
            if (await identity.CreateAsync(context.Work, user, state.Password, EmailField, PasswordField, cancellationToken) is { } notCreated)
            {
                return notCreated;
            }

            if (await identity.AddToRoleAsync(context.Work, user, role, EmailField, PasswordField, cancellationToken) is { } notInRole)
            {
                return notInRole;
            }

            var isOwner = false;
            if (state.Organisation is { } organisation)
            {
                isOwner = request.IsOwner ?? !await accounts.HasMembersAsync(context.Work, organisation.Id, cancellationToken);
                await accounts.AddMemberAsync(context.Work, organisation.Id, user.Id, isOwner, cancellationToken);
            }

            return new AddedUser(user.Id, user.Email, role, state.Organisation?.Slug, isOwner, state.GeneratedPassword);
        }
        catch (Exception exception) when (identity.IsDuplicate(exception))
        {
            return Error.Invalid(EmailField, AccountValidation.EmailTaken);
        }
    }

    private static string? DisplayNameOf(AddUserRequest request, string? email) =>
        string.IsNullOrWhiteSpace(request.DisplayName) ? email?.Split('@')[0] : request.DisplayName.Trim();
}
