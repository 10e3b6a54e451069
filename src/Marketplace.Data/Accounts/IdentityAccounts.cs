using System.Data.Common;
using System.Globalization;
using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Accounts;
using Marketplace.Data.Application;
using Marketplace.Data.Identity;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Data.Accounts;

/// <summary>
/// The account use cases' view of ASP.NET Core Identity. Each call that takes a unit of work first makes the scope's
/// Identity stores join that transaction (<see cref="IdentityUnitOfWork.Join"/>), so the user, its role and its
/// membership are written together or not at all. Identity's error codes become this application's sentences.
/// </summary>
public sealed class IdentityAccounts(UserManager<AppUser> users, IdentityUnitOfWork identity, ILookupNormalizer normalizer) : IAccountIdentity
{
    public async Task<bool> EmailTakenAsync(IUnitOfWork work, string email, CancellationToken cancellationToken)
    {
        Join(work);
        return await users.FindByEmailAsync(email) is not null;
    }

    public Task<AppUser?> FindUserAsync(IUnitOfWork work, long userId, CancellationToken cancellationToken)
    {
        Join(work);
        return users.FindByIdAsync(userId.ToString(CultureInfo.InvariantCulture));
    }

    public async Task<IReadOnlyList<FieldMessage>> PasswordProblemsAsync(AppUser user, string password, string field)
    {
        var errors = new List<FieldMessage>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            errors.AddRange(result.Errors.Select(error => Translate(error, field, field)));
        }

        return errors;
    }

    public async Task<Error?> CreateAsync(IUnitOfWork work, AppUser user, string password, string emailField, string passwordField, CancellationToken cancellationToken)
    {
        Join(work);
        var result = await users.CreateAsync(user, password);
        return result.Succeeded ? null : FromIdentity(result, emailField, passwordField);
    }

    public Task<bool> IsInRoleAsync(IUnitOfWork work, AppUser user, string role, CancellationToken cancellationToken)
    {
        Join(work);
        return users.IsInRoleAsync(user, role);
    }

    public async Task<Error?> AddToRoleAsync(IUnitOfWork work, AppUser user, string role, string emailField, string passwordField, CancellationToken cancellationToken)
    {
        Join(work);
        var result = await users.AddToRoleAsync(user, role);
        return result.Succeeded ? null : FromIdentity(result, emailField, passwordField);
    }

    public string NormalizeEmail(string email) => normalizer.NormalizeEmail(email);

    public bool IsDuplicate(Exception exception) => exception is DbException db && DbErrors.IsUniqueViolation(db);

    private void Join(IUnitOfWork work) => identity.Join(DbUnitOfWork.Of(work));

    /// <summary>Turns an Identity failure into field errors; unknown codes keep Identity's own description.</summary>
    private static Error FromIdentity(IdentityResult result, string emailField, string passwordField)
    {
        var errors = new ValidationErrors();
        foreach (var error in result.Errors)
        {
            if (error.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
            {
                return Error.Conflict(AccountValidation.ConcurrentChange);
            }

            var message = Translate(error, emailField, passwordField);
            errors.Add(message.Field, message.Message);
        }

        return errors.ToError();
    }

    private static FieldMessage Translate(IdentityError error, string emailField, string passwordField) => error.Code switch
    {
        nameof(IdentityErrorDescriber.PasswordTooShort) => new(passwordField, AccountValidation.PasswordTooShort),
        nameof(IdentityErrorDescriber.PasswordRequiresDigit) => new(passwordField, AccountValidation.PasswordNeedsDigit),
        nameof(IdentityErrorDescriber.PasswordRequiresLower) => new(passwordField, AccountValidation.PasswordNeedsLower),
        nameof(IdentityErrorDescriber.PasswordRequiresUpper) => new(passwordField, AccountValidation.PasswordNeedsUpper),
        nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric) => new(passwordField, AccountValidation.PasswordNeedsSymbol),
        nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars) => new(passwordField, AccountValidation.PasswordNeedsVariety),
        nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName) => new(emailField, AccountValidation.EmailTaken),
        nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.InvalidUserName) => new(emailField, AccountValidation.EmailInvalid),
        _ => new("", error.Description),
    };
}
