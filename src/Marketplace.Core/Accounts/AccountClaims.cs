namespace Marketplace.Core.Accounts;

/// <summary>Claims the platform adds to a signed-in user besides Identity's own (id, user name, e-mail, roles).</summary>
public static class AccountClaims
{
    /// <summary>The name people see ("王建国"), as opposed to the user name, which is the e-mail address.</summary>
    public const string DisplayName = "marketplace:display_name";

    /// <summary>zh-CN or en.</summary>
    public const string PreferredLanguage = "marketplace:language";
}
