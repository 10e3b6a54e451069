using Marketplace.Core.Accounts;
using Marketplace.Core.Features.Accounts;
using Marketplace.Data.Challenges;
using Marketplace.Data.Identity;
using Marketplace.Data.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Data.Accounts;

public static class AccountsSetup
{
    /// <summary>
    /// ASP.NET Core Identity on the Dapper stores (no Entity Framework), the account rules, and the account
    /// use cases. Needs a <see cref="DbConnectionFactory"/> registered by the host. Works without
    /// ASP.NET Core's HTTP services, so the CLI can call it; the web adds sign-in on top
    /// (AddMarketplaceAuthentication).
    /// </summary>
    public static IServiceCollection AddMarketplaceAccounts(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OrganisationStore>();
        services.TryAddSingleton<InvitationStore>();
        services.TryAddSingleton<UserDirectory>();
        services.TryAddScoped<IdentityUnitOfWork>();

        services.AddIdentityCore<AppUser>(options =>
            {
                options.Password.RequiredLength = AccountRules.PasswordMinLength;
                options.Password.RequiredUniqueChars = AccountRules.PasswordMinUniqueCharacters;
                options.Password.RequireDigit = true;
                options.Password.RequireLowercase = true;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;

                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = AccountRules.MaxFailedSignIns;
                options.Lockout.DefaultLockoutTimeSpan = AccountRules.LockoutDuration;

                // The user name is the e-mail address, so the same characters are allowed in both.
                options.User.RequireUniqueEmail = true;
                options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+'";

                // No e-mail delivery yet (a later issue): accounts sign in without confirming their address.
                options.SignIn.RequireConfirmedAccount = false;
                options.SignIn.RequireConfirmedEmail = false;
            })
            .AddRoles<AppRole>()
            .AddUserStore<DapperUserStore>()
            .AddRoleStore<DapperRoleStore>()
            .AddClaimsPrincipalFactory<MarketplaceClaimsPrincipalFactory>();

        // The account use cases run through the shared runner; Identity's stores join its transaction, so they are
        // scoped with UserManager.
        services.AddUseCaseRunner();
        services.TryAddSingleton<AccountStore>();
        services.TryAddSingleton<IAccountStore>(sp => sp.GetRequiredService<AccountStore>());
        services.TryAddScoped<IAccountIdentity, IdentityAccounts>();
        services.TryAddScoped<RegisterOrganisation>();
        services.TryAddScoped<InviteMember>();
        services.TryAddScoped<AcceptInvitation>();
        services.TryAddScoped<AddUser>();
        return services;
    }
}
