namespace Marketplace.Core.Accounts;

/// <summary>The five roles of PRODUCT.md. Names are stored in the roles table (seeded by migration 0001).</summary>
public static class Roles
{
    public const string Enterprise = "Enterprise";
    public const string Vendor = "Vendor";
    public const string Reviewer = "Reviewer";
    public const string Officer = "Officer";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Enterprise, Vendor, Reviewer, Officer, Admin];

    /// <summary>Returns the canonical spelling of a role name given in any case, or null when unknown.</summary>
    public static string? Canonical(string? name) =>
        All.FirstOrDefault(role => string.Equals(role, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
