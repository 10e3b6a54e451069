using Marketplace.Core.Accounts;
using Marketplace.Core.Common;

namespace Marketplace.Core.Features.Accounts;

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
    public const string PasswordTooLong = "The password must be at most 128 characters long.";
    public const string PasswordNeedsDigit = "The password must contain at least one digit (0-9).";
    public const string PasswordNeedsLower = "The password must contain at least one lower-case letter (a-z).";
    public const string PasswordNeedsUpper = "The password must contain at least one upper-case letter (A-Z).";
    public const string PasswordNeedsSymbol = "The password must contain at least one symbol, such as # or !.";
    public const string PasswordNeedsVariety = "The password must contain at least 5 different characters.";
    public const string PasswordsDiffer = "The two passwords do not match.";
    public const string DisplayNameRequired = "Enter your name.";
    public const string DisplayNameTooLong = "Your name must be at most 100 characters.";
    public const string ConcurrentChange = "Someone else changed this account at the same moment. Please try again.";

    /// <summary>The cleaned address when it is present and well formed (no error recorded), else null.</summary>
    public static string? CleanedEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var cleaned = AccountRules.CleanEmail(email);
        return AccountRules.IsValidEmail(cleaned) ? cleaned : null;
    }

    /// <summary>Checks an e-mail's presence and format; returns the cleaned address when it is usable.</summary>
    public static string? Email(ValidationErrors errors, string field, string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            errors.Add(field, EmailRequired);
            return null;
        }

        var cleaned = CleanedEmail(email);
        if (cleaned is null)
        {
            errors.Add(field, EmailInvalid);
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

    /// <summary>
    /// The password's broken rules (<paramref name="problems"/>, from Identity's validators, read beforehand) beside
    /// the field, and the confirmation beside its own.
    /// </summary>
    public static void Password(
        ValidationErrors errors, string field, string? password, IReadOnlyList<FieldMessage> problems, string? confirmField = null, string? confirmation = null)
    {
        if (string.IsNullOrEmpty(password))
        {
            errors.Add(field, PasswordRequired);
            return;
        }

        if (password.Length > AccountRules.PasswordMaxLength)
        {
            errors.Add(field, PasswordTooLong);
            return;
        }

        foreach (var problem in problems)
        {
            errors.Add(problem.Field, problem.Message);
        }

        if (confirmField is not null && !string.Equals(password, confirmation, StringComparison.Ordinal))
        {
            errors.Add(confirmField, PasswordsDiffer);
        }
    }

    /// <summary>Reads the password's broken rules when there is a password to check.</summary>
    public static async Task<IReadOnlyList<FieldMessage>> PasswordProblemsAsync(IAccountIdentity identity, AppUser user, string? password, string field) =>
        string.IsNullOrEmpty(password) ? [] : await identity.PasswordProblemsAsync(user, password, field);
}
