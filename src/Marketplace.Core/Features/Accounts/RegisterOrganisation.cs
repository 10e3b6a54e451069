using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Common;
using Marketplace.Core.Organisations;

namespace Marketplace.Core.Features.Accounts;

/// <summary>
/// An enterprise or a vendor signs up: the organisation and its first user, who owns it. Field names are the
/// register form's. <see cref="Kind"/> is "enterprise" or "vendor".
/// </summary>
public sealed record RegisterOrganisationRequest
{
    public string? Kind { get; init; }
    [SingleLine]
    public string? OrganisationName { get; init; }
    [SingleLine]
    public string? OrganisationNameEn { get; init; }
    [SingleLine]
    public string? DisplayName { get; init; }
    public string? Email { get; init; }
    public string? Password { get; init; }
    public string? ConfirmPassword { get; init; }
    public string? PreferredLanguage { get; init; }
}

public sealed record RegisteredOrganisation(long UserId, long OrganisationId, string Slug, string Role);

/// <summary>What registration checks against: names and addresses already taken, and the password's broken rules.</summary>
public sealed record RegistrationCheck(bool NameTaken, bool EmailTaken, AppUser User, IReadOnlyList<FieldMessage> PasswordProblems);

public sealed record ValidRegistration(OrganisationKind Kind, string Name, string? NameEn, string Password);

/// <summary>Anyone may register; the organisation and its owner are created together or not at all.</summary>
public sealed class RegisterOrganisation(IAccountStore accounts, IAccountIdentity identity)
    : UseCase<RegisterOrganisationRequest, RegistrationCheck, ValidRegistration, RegisteredOrganisation>
{
    public const string KindRequired = "Choose whether you register a manufacturer (enterprise) or an AI vendor.";
    public const string OrganisationNameRequired = "Enter your organisation's registered name.";
    public const string OrganisationNameTooLong = "The organisation name must be at most 200 characters.";
    public const string OrganisationNameTaken = "An organisation with this name is already registered. Ask its owner to invite you.";
    public const string RegisteredMeanwhile = "Another registration with the same details finished at the same moment. Please check and try again.";

    protected override async Task<RegistrationCheck?> LoadAsync(UseCaseContext context, RegisterOrganisationRequest request, CancellationToken cancellationToken)
    {
        var name = request.OrganisationName?.Trim();
        var nameTaken = !string.IsNullOrEmpty(name) && name.Length <= AccountRules.OrganisationNameMaxLength
            && await accounts.OrganisationNameTakenAsync(context.Work, name, cancellationToken);
        var email = AccountValidation.CleanedEmail(request.Email);
        var emailTaken = email is not null && await identity.EmailTakenAsync(context.Work, email, cancellationToken);
        var user = new AppUser
        {
            UserName = email ?? "",
            Email = email ?? "",
            DisplayName = AccountValidation.DisplayName(new ValidationErrors(), "", request.DisplayName) ?? "",
            PreferredLanguage = AccountRules.Language(request.PreferredLanguage),
            CreatedAt = context.Now,
        };
        var problems = await AccountValidation.PasswordProblemsAsync(identity, user, request.Password, nameof(request.Password));
        return new RegistrationCheck(nameTaken, emailTaken, user, problems);
    }

    protected override Error? Authorise(UseCaseContext context, RegisterOrganisationRequest request, RegistrationCheck? state) =>
        state is null ? Error.NotFound("Nothing to register.") : null;

    protected override Result<ValidRegistration> Decide(UseCaseContext context, RegisterOrganisationRequest request, RegistrationCheck state)
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
        else if (state.NameTaken)
        {
            errors.Add(nameof(request.OrganisationName), OrganisationNameTaken);
        }

        if (nameEn is { Length: > AccountRules.OrganisationNameMaxLength })
        {
            errors.Add(nameof(request.OrganisationNameEn), OrganisationNameTooLong);
        }

        AccountValidation.DisplayName(errors, nameof(request.DisplayName), request.DisplayName);
        var email = AccountValidation.Email(errors, nameof(request.Email), request.Email);
        if (email is not null && state.EmailTaken)
        {
            errors.Add(nameof(request.Email), AccountValidation.EmailTaken);
        }

        AccountValidation.Password(errors, nameof(request.Password), request.Password, state.PasswordProblems, nameof(request.ConfirmPassword), request.ConfirmPassword);
        return errors.IsEmpty ? new ValidRegistration(kind!.Value, name!, nameEn, request.Password!) : errors.ToError();
    }

    protected override async Task<Result<RegisteredOrganisation>> ApplyAsync(UseCaseContext context, RegisterOrganisationRequest request, RegistrationCheck state,
        ValidRegistration registration, CancellationToken cancellationToken)
    {
        var role = AccountRules.RoleFor(registration.Kind);
        var user = state.User;
        try
        {
            var slug = await accounts.UniqueSlugAsync(context.Work, registration.Kind, registration.NameEn, registration.Name, cancellationToken);
            var organisationId = await accounts.CreateOrganisationAsync(context.Work, new NewOrganisation(slug, registration.Kind, registration.Name, registration.NameEn), cancellationToken);
            if (await identity.CreateAsync(context.Work, user, registration.Password, nameof(request.Email), nameof(request.Password), cancellationToken) is { } notCreated)
            {
                return notCreated;
            }

            if (await identity.AddToRoleAsync(context.Work, user, role, nameof(request.Email), nameof(request.Password), cancellationToken) is { } notInRole)
            {
                return notInRole;
            }

            await accounts.AddMemberAsync(context.Work, organisationId, user.Id, isOwner: true, cancellationToken);
            return new RegisteredOrganisation(user.Id, organisationId, slug, role);
        }
        catch (Exception exception) when (identity.IsDuplicate(exception))
        {
            return Error.Conflict(RegisteredMeanwhile);
        }
    }
}
