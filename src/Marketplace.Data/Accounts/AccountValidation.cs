using Marketplace.Core.Accounts;
using Marketplace.Core.Common;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Data.Accounts;

/// <summary>
/// Field checks shared by the account use cases. Messages are plain English sentences; the web layer uses
/// them as localisation keys (Features/Account/AccountText.zh-CN.resx), so keep them free of values.
/// </summary>
public static class AccountValidation
{
    public const string EmailRequired = "Enter your e-mail address.";
    public const string EmailInvalid = "Enter a valid e-mail address, such as name@company.cn.";
    public const string EmailTaken = "An account with this e-mail address already exists.";
    public const string PasswordRequired = "Choose a password.";
    public const string PasswordTooShort = "The password must be at least 10 characters long.";
    public const string PasswordNeedsDigit = "The password must contain at least one digit (0-9).";
    public const string PasswordNeedsLower = "The password must contain at least one lower-case letter (a-z).";
    public const string PasswordNeedsUpper = "The password must contain at least one upper-case letter (A-Z).";
    public const string PasswordNeedsSymbol = "The password must contain at least one symbol, such as # or !.";
    public const string PasswordNeedsVariety = "The password must contain at least 5 different characters.";
    public const string PasswordsDiffer = "The two passwords do not match.";
    public const string DisplayNameRequired = "Enter your name.";
    public const string DisplayNameTooLong = "Your name must be at most 100 characters.";

    /// <summary>Checks an e-mail's presence and format; returns the cleaned address when it is usable.</summary>
    public static string? Email(ValidationErrors errors, string field, string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            errors.Add(field, EmailRequired);
            return null;
        }

        var cleaned = AccountRules.CleanEmail(email);
        if (!AccountRules.IsValidEmail(cleaned))
        {
            errors.Add(field, EmailInvalid);
            return null;
        }

        return cleaned;
    }

    public static string? DisplayName(ValidationErrors errors, string field, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(field, DisplayNameRequired);
            return null;
        }

        var trimmed = name.Trim();
        if (trimmed.Length > AccountRules.DisplayNameMaxLength)
        {
            errors.Add(field, DisplayNameTooLong);
            return null;
        }

        return trimmed;
    }

    /// <summary>Runs Identity's configured password validators and reports each broken rule beside the field.</summary>
    public static async Task PasswordAsync(
        ValidationErrors errors, string field, string? password, UserManager<AppUser> users, AppUser user,
        string? confirmField = null, string? confirmation = null)
    {
        if (string.IsNullOrEmpty(password))
        {
            errors.Add(field, PasswordRequired);
            return;
        }

        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            foreach (var error in result.Errors)
            {
                AddIdentityError(errors, error, field, field);
            }
        }

        if (confirmField is not null && !string.Equals(password, confirmation, StringComparison.Ordinal))
        {
            errors.Add(confirmField, PasswordsDiffer);
        }
    }

    /// <summary>Turns an Identity failure into field errors; unknown codes keep Identity's own description.</summary>
    public static Error FromIdentity(IdentityResult result, string emailField, string passwordField)
    {
        var errors = new ValidationErrors();
        foreach (var error in result.Errors)
        {
            if (error.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
            {
                return Error.Conflict("Someone else changed this account at the same moment. Please try again.");
            }

            AddIdentityError(errors, error, emailField, passwordField);
        }

        return errors.ToError();
    }

    private static void AddIdentityError(ValidationErrors errors, IdentityError error, string emailField, string passwordField)
    {
        switch (error.Code)
        {
            case nameof(IdentityErrorDescriber.PasswordTooShort):
                errors.Add(passwordField, PasswordTooShort);
                break;
            case nameof(IdentityErrorDescriber.PasswordRequiresDigit):
                errors.Add(passwordField, PasswordNeedsDigit);
                break;
            case nameof(IdentityErrorDescriber.PasswordRequiresLower):
                errors.Add(passwordField, PasswordNeedsLower);
                break;
            case nameof(IdentityErrorDescriber.PasswordRequiresUpper):
                errors.Add(passwordField, PasswordNeedsUpper);
                break;
            case nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric):
                errors.Add(passwordField, PasswordNeedsSymbol);
                break;
            case nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars):
                errors.Add(passwordField, PasswordNeedsVariety);
                break;
            case nameof(IdentityErrorDescriber.DuplicateEmail):
            case nameof(IdentityErrorDescriber.DuplicateUserName):
                errors.Add(emailField, EmailTaken);
                break;
            case nameof(IdentityErrorDescriber.InvalidEmail):
            case nameof(IdentityErrorDescriber.InvalidUserName):
                errors.Add(emailField, EmailInvalid);
                break;
            default:
                errors.Add("", error.Description);
                break;
        }
    }
}
