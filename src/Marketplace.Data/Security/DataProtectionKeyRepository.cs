using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Marketplace.Data.Security;

/// <summary>
/// ASP.NET Core's data-protection key ring kept in the app's database (data_protection_keys, migration 0018), so every
/// instance on that database reads the same keys: a cookie, antiforgery token or bearer token issued by one instance is
/// accepted by the others. Keys are stored as the key ring writes them (not encrypted at rest: see docs/security.md).
/// The interface is synchronous; the key ring calls it at start-up and when it refreshes (about once a day), so the
/// blocking waits here are rare and short.
/// </summary>
public sealed class DataProtectionKeyRepository(DbConnectionFactory connections, TimeProvider clock) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = connections.OpenAsync().GetAwaiter().GetResult();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY id")
            .Select(xml => XElement.Parse(xml))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = connections.OpenAsync().GetAwaiter().GetResult();
        // The friendly name is the key's id; two instances never write the same key, but a retry must not fail.
        connection.Execute(
            connections.Dialect.InsertIfAbsent("data_protection_keys", "friendly_name", "@FriendlyName", "friendly_name, xml, created_at", "@FriendlyName, @Xml, @CreatedAt"),
            new { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting), CreatedAt = clock.GetUtcNow() });
    }
}
