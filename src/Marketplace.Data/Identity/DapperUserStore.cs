using System.Data.Common;
using System.Globalization;
using Dapper;
using Marketplace.Core.Accounts;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Data.Identity;

/// <summary>
/// ASP.NET Core Identity's user store on Dapper, over the users, roles and user_roles tables of migration 0001.
/// Setters only change the object; <see cref="CreateAsync"/> and <see cref="UpdateAsync"/> write it, and an
/// update whose concurrency stamp no longer matches the row fails with Identity's ConcurrencyFailure.
/// Role changes are written at once (UserManager follows each with an update, which bumps the stamp).
/// </summary>
public sealed class DapperUserStore(IdentityUnitOfWork database, TimeProvider clock, IdentityErrorDescriber errors) :
    IUserPasswordStore<AppUser>,
    IUserEmailStore<AppUser>,
    IUserSecurityStampStore<AppUser>,
    IUserLockoutStore<AppUser>,
    IUserRoleStore<AppUser>
{
    private const string SelectUser = """
        SELECT u.id AS Id, u.user_name AS UserName, u.normalized_user_name AS NormalizedUserName, u.email AS Email,
               u.normalized_email AS NormalizedEmail, u.email_confirmed AS EmailConfirmed, u.display_name AS DisplayName,
               u.preferred_language AS PreferredLanguage, u.password_hash AS PasswordHash, u.security_stamp AS SecurityStamp,
               u.concurrency_stamp AS ConcurrencyStamp, u.lockout_enabled AS LockoutEnabled, u.lockout_end AS LockoutEnd,
               u.access_failed_count AS AccessFailedCount, u.created_at AS CreatedAt
        FROM users u
        """;

    // IUserStore

    public async Task<IdentityResult> CreateAsync(AppUser user, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (user.CreatedAt == default)
        {
            user.CreatedAt = clock.GetUtcNow();
        }

        var sql = database.Dialect.InsertReturningId(
            "users",
            "user_name, normalized_user_name, email, normalized_email, email_confirmed, display_name, preferred_language, " +
            "password_hash, security_stamp, concurrency_stamp, lockout_enabled, lockout_end, access_failed_count, created_at",
            "@UserName, @NormalizedUserName, @Email, @NormalizedEmail, @EmailConfirmed, @DisplayName, @PreferredLanguage, " +
            "@PasswordHash, @SecurityStamp, @ConcurrencyStamp, @LockoutEnabled, @LockoutEnd, @AccessFailedCount, @CreatedAt");
        await using var lease = await database.LeaseAsync(cancellationToken);
        try
        {
            user.Id = await lease.Connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, Parameters(user), lease.Transaction, cancellationToken: cancellationToken));
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // Two registrations raced past UserManager's uniqueness check; the unique index decided.
            return IdentityResult.Failed(errors.DuplicateEmail(user.Email));
        }

        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(AppUser user, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var expectedStamp = user.ConcurrencyStamp;
        var newStamp = Guid.NewGuid().ToString("N");
        var parameters = Parameters(user);
        parameters.Add("ExpectedStamp", expectedStamp);
        parameters.Add("ConcurrencyStamp", newStamp);
        await using var lease = await database.LeaseAsync(cancellationToken);
        int updated;
        try
        {
            updated = await lease.Connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE users SET user_name = @UserName, normalized_user_name = @NormalizedUserName, email = @Email,
                       normalized_email = @NormalizedEmail, email_confirmed = @EmailConfirmed, display_name = @DisplayName,
                       preferred_language = @PreferredLanguage, password_hash = @PasswordHash, security_stamp = @SecurityStamp,
                       concurrency_stamp = @ConcurrencyStamp, lockout_enabled = @LockoutEnabled, lockout_end = @LockoutEnd,
                       access_failed_count = @AccessFailedCount
                WHERE id = @Id AND concurrency_stamp = @ExpectedStamp
                """, parameters, lease.Transaction, cancellationToken: cancellationToken));
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return IdentityResult.Failed(errors.DuplicateEmail(user.Email));
        }

        if (updated == 0)
        {
            return IdentityResult.Failed(errors.ConcurrencyFailure());
        }

        user.ConcurrencyStamp = newStamp;
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> DeleteAsync(AppUser user, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var lease = await database.LeaseAsync(cancellationToken);
        var parameters = new { user.Id, user.ConcurrencyStamp };
        var exists = await lease.Connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM users WHERE id = @Id AND concurrency_stamp = @ConcurrencyStamp", parameters, lease.Transaction, cancellationToken: cancellationToken));
        if (exists == 0)
        {
            return IdentityResult.Failed(errors.ConcurrencyFailure());
        }

        // Memberships and roles go with the user (ON DELETE CASCADE); invitations they sent have no one to answer for them.
        await lease.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM invitations WHERE invited_by = @Id", parameters, lease.Transaction, cancellationToken: cancellationToken));
        await lease.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM users WHERE id = @Id AND concurrency_stamp = @ConcurrencyStamp", parameters, lease.Transaction, cancellationToken: cancellationToken));
        return IdentityResult.Success;
    }

    public async Task<AppUser?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!long.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        return await FindOneAsync(SelectUser + " WHERE u.id = @Value", id, cancellationToken);
    }

    public Task<AppUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindOneAsync(SelectUser + " WHERE u.normalized_user_name = @Value", normalizedUserName, cancellationToken);

    public Task<string> GetUserIdAsync(AppUser user, CancellationToken cancellationToken) =>
        Task.FromResult(user.Id.ToString(CultureInfo.InvariantCulture));

    public Task<string?> GetUserNameAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.UserName);

    public Task SetUserNameAsync(AppUser user, string? userName, CancellationToken cancellationToken)
    {
        user.UserName = userName ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedUserName);

    public Task SetNormalizedUserNameAsync(AppUser user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedUserName = normalizedName ?? "";
        return Task.CompletedTask;
    }

    // IUserPasswordStore

    public Task SetPasswordHashAsync(AppUser user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    // IUserEmailStore

    public Task SetEmailAsync(AppUser user, string? email, CancellationToken cancellationToken)
    {
        user.Email = email ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetEmailAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task<bool> GetEmailConfirmedAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.EmailConfirmed);

    public Task SetEmailConfirmedAsync(AppUser user, bool confirmed, CancellationToken cancellationToken)
    {
        user.EmailConfirmed = confirmed;
        return Task.CompletedTask;
    }

    public Task<AppUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        FindOneAsync(SelectUser + " WHERE u.normalized_email = @Value", normalizedEmail, cancellationToken);

    public Task<string?> GetNormalizedEmailAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(AppUser user, string? normalizedEmail, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedEmail ?? "";
        return Task.CompletedTask;
    }

    // IUserSecurityStampStore

    public Task SetSecurityStampAsync(AppUser user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    // IUserLockoutStore

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(AppUser user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEnd = lockoutEnd?.ToUniversalTime();
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(AppUser user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount++;
        return Task.FromResult(user.AccessFailedCount);
    }

    public Task ResetAccessFailedCountAsync(AppUser user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    public Task<bool> GetLockoutEnabledAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnabled);

    public Task SetLockoutEnabledAsync(AppUser user, bool enabled, CancellationToken cancellationToken)
    {
        user.LockoutEnabled = enabled;
        return Task.CompletedTask;
    }

    // IUserRoleStore: roleName arrives normalised (upper case), as UserManager passes it.

    public async Task AddToRoleAsync(AppUser user, string roleName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var lease = await database.LeaseAsync(cancellationToken);
        var roleId = await lease.Connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT id FROM roles WHERE normalized_name = @Role", new { Role = roleName }, lease.Transaction, cancellationToken: cancellationToken))
            ?? throw new InvalidOperationException($"Role '{roleName}' does not exist. The roles are: {string.Join(", ", Roles.All)}.");
        await lease.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO user_roles (user_id, role_id)
            SELECT @UserId, @RoleId FROM roles
            WHERE id = @RoleId AND NOT EXISTS (SELECT 1 FROM user_roles WHERE user_id = @UserId AND role_id = @RoleId)
            """, new { UserId = user.Id, RoleId = roleId }, lease.Transaction, cancellationToken: cancellationToken));
    }

    public async Task RemoveFromRoleAsync(AppUser user, string roleName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var lease = await database.LeaseAsync(cancellationToken);
        await lease.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM user_roles WHERE user_id = @UserId AND role_id IN (SELECT id FROM roles WHERE normalized_name = @Role)",
            new { UserId = user.Id, Role = roleName }, lease.Transaction, cancellationToken: cancellationToken));
    }

    public async Task<IList<string>> GetRolesAsync(AppUser user, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var lease = await database.LeaseAsync(cancellationToken);
        var names = await lease.Connection.QueryAsync<string>(new CommandDefinition(
            "SELECT r.name FROM roles r JOIN user_roles ur ON ur.role_id = r.id WHERE ur.user_id = @UserId ORDER BY r.id",
            new { UserId = user.Id }, lease.Transaction, cancellationToken: cancellationToken));
        return names.ToList();
    }

    public async Task<bool> IsInRoleAsync(AppUser user, string roleName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var lease = await database.LeaseAsync(cancellationToken);
        var count = await lease.Connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = @UserId AND r.normalized_name = @Role",
            new { UserId = user.Id, Role = roleName }, lease.Transaction, cancellationToken: cancellationToken));
        return count > 0;
    }

    public async Task<IList<AppUser>> GetUsersInRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var lease = await database.LeaseAsync(cancellationToken);
        var users = await lease.Connection.QueryAsync<AppUser>(new CommandDefinition(
            SelectUser + " JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id WHERE r.normalized_name = @Role ORDER BY u.id",
            new { Role = roleName }, lease.Transaction, cancellationToken: cancellationToken));
        return users.ToList();
    }

    public void Dispose()
    {
        // Connections belong to IdentityUnitOfWork or to each call; the store holds nothing.
    }

    private async Task<AppUser?> FindOneAsync(string sql, object value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var lease = await database.LeaseAsync(cancellationToken);
        return await lease.Connection.QuerySingleOrDefaultAsync<AppUser>(new CommandDefinition(
            sql, new { Value = value }, lease.Transaction, cancellationToken: cancellationToken));
    }

    private static DynamicParameters Parameters(AppUser user)
    {
        var parameters = new DynamicParameters();
        parameters.Add("Id", user.Id);
        parameters.Add("UserName", user.UserName);
        parameters.Add("NormalizedUserName", user.NormalizedUserName);
        parameters.Add("Email", user.Email);
        parameters.Add("NormalizedEmail", user.NormalizedEmail);
        parameters.Add("EmailConfirmed", user.EmailConfirmed);
        parameters.Add("DisplayName", user.DisplayName);
        parameters.Add("PreferredLanguage", user.PreferredLanguage);
        parameters.Add("PasswordHash", user.PasswordHash);
        parameters.Add("SecurityStamp", user.SecurityStamp);
        parameters.Add("ConcurrencyStamp", user.ConcurrencyStamp);
        parameters.Add("LockoutEnabled", user.LockoutEnabled);
        parameters.Add("LockoutEnd", user.LockoutEnd);
        parameters.Add("AccessFailedCount", user.AccessFailedCount);
        parameters.Add("CreatedAt", user.CreatedAt);
        return parameters;
    }
}
