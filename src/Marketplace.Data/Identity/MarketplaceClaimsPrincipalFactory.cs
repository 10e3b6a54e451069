using System.Security.Claims;
using Marketplace.Core.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Marketplace.Data.Identity;

/// <summary>Identity's claims (id, user name = e-mail, roles, security stamp) plus the display name and language.</summary>
public sealed class MarketplaceClaimsPrincipalFactory(UserManager<AppUser> users, RoleManager<AppRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, AppRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AccountClaims.DisplayName, user.DisplayName));
        identity.AddClaim(new Claim(AccountClaims.PreferredLanguage, user.PreferredLanguage));
        return identity;
    }
}
