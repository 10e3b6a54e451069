namespace Marketplace.Core.Accounts;

/// <summary>A person who signs in. Field names mirror what ASP.NET Core Identity expects of a user.</summary>
public sealed class AppUser
{
    public long Id { get; set; }

    public string UserName { get; set; } = "";

    public string NormalizedUserName { get; set; } = "";

    public string Email { get; set; } = "";

    public string NormalizedEmail { get; set; } = "";

    public bool EmailConfirmed { get; set; }

    public string DisplayName { get; set; } = "";

    /// <summary>zh-CN or en: the interface language the user chose.</summary>
    public string PreferredLanguage { get; set; } = "zh-CN";

    public string? PasswordHash { get; set; }

    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");

    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");

    public bool LockoutEnabled { get; set; } = true;

    public DateTimeOffset? LockoutEnd { get; set; }

    public int AccessFailedCount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
