using System.Net.Mail;
using Marketplace.Core.Organisations;

namespace Marketplace.Core.Accounts;

/// <summary>The account rules every entry point shares: registration, invitations, the CLI and the API.</summary>
public static class AccountRules
{
    public const int PasswordMinLength = 10;

    /// <summary>Longer passwords are refused (OWASP ASVS 2.1.2: at least 64 allowed, more than 128 denied), not hashed and stored.</summary>
    public const int PasswordMaxLength = 128;

    /// <summary>Distinct characters a password needs, so "aaaaaaaaa1" is refused.</summary>
    public const int PasswordMinUniqueCharacters = 5;

    public const int MaxFailedSignIns = 5;

    public static TimeSpan LockoutDuration { get; } = TimeSpan.FromMinutes(15);

    public static TimeSpan InvitationLifetime { get; } = TimeSpan.FromDays(7);

    public const int EmailMaxLength = 256;

    public const int DisplayNameMaxLength = 100;

    public const int OrganisationNameMaxLength = 200;

    public static IReadOnlyList<string> Languages { get; } = ["zh-CN", "en"];

    /// <summary>A plain mailbox such as name@company.cn: one @, a dot in the domain, no display name or spaces.</summary>
    public static bool IsValidEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > EmailMaxLength || email.Any(char.IsWhiteSpace))
        {
            return false;
        }

        if (!MailAddress.TryCreate(email, out var address) || !string.Equals(address.Address, email, StringComparison.Ordinal))
        {
            return false;
        }

        var domain = address.Host;
        return domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.');
    }

    /// <summary>Trims and lower-cases the domain; the local part keeps its case as typed.</summary>
    public static string CleanEmail(string email)
    {
        var trimmed = email.Trim();
        var at = trimmed.LastIndexOf('@');
        return at < 0 ? trimmed : trimmed[..at] + trimmed[at..].ToLowerInvariant();
    }

    /// <summary>zh-CN unless the person asked for English.</summary>
    public static string Language(string? requested) =>
        requested is not null && requested.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : "zh-CN";

    /// <summary>The role a member of an organisation of this kind gets when joining it.</summary>
    public static string RoleFor(OrganisationKind kind) => kind switch
    {
        OrganisationKind.Enterprise => Roles.Enterprise,
        OrganisationKind.Vendor => Roles.Vendor,
        _ => Roles.Officer,
    };
}
