using System.Text.Json;
using Dapper;
using Marketplace.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Marketplace.Web.Infrastructure;

/// <summary>/health: the database answers a query and has every migration this build knows.</summary>
public sealed class DatabaseHealthCheck(DbConnectionFactory connections, Marketplace.Data.Migrations.MigrationRunner migrations) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            var pending = await migrations.PendingAsync(cancellationToken);
            var data = new Dictionary<string, object> { ["engine"] = connections.Dialect.Name, ["pendingMigrations"] = pending.Count };
            return pending.Count == 0
                ? HealthCheckResult.Healthy("The database answers and its schema is current.", data)
                : HealthCheckResult.Degraded($"{pending.Count} migration(s) not applied.", data: data);
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }

    public static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
