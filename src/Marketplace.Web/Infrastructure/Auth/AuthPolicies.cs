using Marketplace.Core.Accounts;

namespace Marketplace.Web.Infrastructure.Auth;

/// <summary>
/// Authorization policy names: one per role (same spelling as the role) and one for the programme office.
/// Use as <c>[Authorize(Policy = AuthPolicies.Admin)]</c> or <c>.RequireAuthorization(AuthPolicies.Officer)</c>.
/// </summary>
public static class AuthPolicies
{
    public const string Enterprise = Roles.Enterprise;
    public const string Vendor = Roles.Vendor;
    public const string Reviewer = Roles.Reviewer;
    public const string Officer = Roles.Officer;
    public const string Admin = Roles.Admin;

    /// <summary>Programme officers and administrators.</summary>
    public const string ProgrammeStaff = "ProgrammeStaff";
}
