using System.Globalization;
using Dapper;
using Marketplace.Core.Accounts;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Data.Identity;

/// <summary>
/// Read-only role store for RoleManager: the five roles are fixed by migration 0001, so creating, renaming
/// or deleting one is refused with an IdentityResult failure rather than silently changing the schema's rows.
/// </summary>
public sealed class DapperRoleStore(IdentityUnitOfWork database) : IRoleStore<AppRole>
{
    private const string SelectRole = "SELECT id AS Id, name AS Name, normalized_name AS NormalizedName FROM roles";

    private static readonly IdentityError FixedRoles = new()
    {
        Code = "FixedRoles",
        Description = $"The roles are fixed ({string.Join(", ", Roles.All)}); they cannot be created, changed or deleted.",
    };

    public Task<IdentityResult> CreateAsync(AppRole role, CancellationToken cancellationToken) => Task.FromResult(IdentityResult.Failed(FixedRoles));

    public Task<IdentityResult> UpdateAsync(AppRole role, CancellationToken cancellationToken) => Task.FromResult(IdentityResult.Failed(FixedRoles));

    public Task<IdentityResult> DeleteAsync(AppRole role, CancellationToken cancellationToken) => Task.FromResult(IdentityResult.Failed(FixedRoles));

    public Task<string> GetRoleIdAsync(AppRole role, CancellationToken cancellationToken) =>
        Task.FromResult(role.Id.ToString(CultureInfo.InvariantCulture));

    public Task<string?> GetRoleNameAsync(AppRole role, CancellationToken cancellationToken) => Task.FromResult<string?>(role.Name);

    public Task SetRoleNameAsync(AppRole role, string? roleName, CancellationToken cancellationToken)
    {
        role.Name = roleName ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedRoleNameAsync(AppRole role, CancellationToken cancellationToken) => Task.FromResult<string?>(role.NormalizedName);

    public Task SetNormalizedRoleNameAsync(AppRole role, string? normalizedName, CancellationToken cancellationToken)
    {
        role.NormalizedName = normalizedName ?? "";
        return Task.CompletedTask;
    }

    public async Task<AppRole?> FindByIdAsync(string roleId, CancellationToken cancellationToken)
    {
        if (!int.TryParse(roleId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        await using var lease = await database.LeaseAsync(cancellationToken);
        return await lease.Connection.QuerySingleOrDefaultAsync<AppRole>(new CommandDefinition(
            SelectRole + " WHERE id = @Id", new { Id = id }, lease.Transaction, cancellationToken: cancellationToken));
    }

    public async Task<AppRole?> FindByNameAsync(string normalizedRoleName, CancellationToken cancellationToken)
    {
        await using var lease = await database.LeaseAsync(cancellationToken);
        return await lease.Connection.QuerySingleOrDefaultAsync<AppRole>(new CommandDefinition(
            SelectRole + " WHERE normalized_name = @Name", new { Name = normalizedRoleName }, lease.Transaction, cancellationToken: cancellationToken));
    }

    public void Dispose()
    {
        // Nothing held: connections belong to IdentityUnitOfWork or to each call.
    }
}
