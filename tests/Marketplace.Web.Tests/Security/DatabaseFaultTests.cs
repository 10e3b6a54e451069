using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Testing;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using static Marketplace.Web.Tests.Lifecycle.LifecycleTestKit;

namespace Marketplace.Web.Tests.Security;

/// <summary>
/// Faults injected for real: PostgreSQL cut off mid-session (a relay that refuses and resets connections), a SQLite
/// file on a full disk and on a read-only file system. Each request meanwhile gets a 503 with a clear message (problem
/// details or a plain page), never a 500; nothing is half-written; the app recovers by itself when the fault ends; the
/// SQLite file passes PRAGMA integrity_check afterwards.
/// </summary>
public sealed class DatabaseFaultTests
{
    private static readonly string[] WrittenTables = ["challenges", "challenge_acceptance_targets", "challenge_tags", "challenge_audit", "notifications"];

    /// <summary>
    /// The written tables' counts in a SQLite file, read on a connection of its own; <paramref name="emptyTheLog"/> first
    /// checkpoints the write-ahead log into the file and empties it, so the next write must grow a file.
    /// </summary>
    private static async Task<string> CountsAsync(string file, bool emptyTheLog = false)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        if (emptyTheLog)
        {
            await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        return await CountsAsync(connection);
    }

    private static async Task<string> CountsAsync(System.Data.Common.DbConnection connection)
    {
        var parts = new List<string>();
        foreach (var table in WrittenTables)
        {
            parts.Add($"{table}={await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}")}");
        }

        return string.Join(",", parts);
    }

    private static async Task AssertServiceUnavailableProblemAsync(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        var body = await response.JsonAsync();
        Assert.Equal(503, body.GetProperty("status").GetInt32());
        Assert.Equal(message, body.GetProperty("detail").GetString());
    }

    [Theory, OnEngine(TestEngines.Postgres)]
    public async Task PostgresUnreachable_Answers503_WritesNothing_AndRecoversByItself(string engine)
    {
        Assert.Equal(TestEngines.Postgres, engine);
        await using var factory = new RelayedPostgresFactory();
        await factory.InitializeAsync();
        using var api = await factory.ApiClientAsync(Enterprise);
        var browser = factory.CreateBrowserClient();
        await using (var connection = await factory.Database.Connections.OpenAsync())
        {
            var before = await CountsAsync(connection);

            factory.Relay.Cut();
            using (var create = await api.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: "Written while the database is away")))
            {
                await AssertServiceUnavailableProblemAsync(create, DatabaseFaultMiddleware.UnreachableMessage);
            }

            using (var page = await browser.GetAsync("/challenges"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
                Assert.Contains(WebUtility.HtmlEncode(DatabaseFaultMiddleware.UnreachableMessage), await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            using (var list = await api.GetAsync("/api/v1/my/challenges"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
            }

            // Read directly, not through the relay: nothing of the refused create is there.
            Assert.Equal(before, await CountsAsync(connection));
        }

        factory.Relay.Restore();

        // Pooled connections the cut broke fail once each as they are found; the app then works with no restart.
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var again = await api.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: "Written after the database came back"));
            statuses.Add(again.StatusCode);
            if (again.StatusCode == HttpStatusCode.Created)
            {
                break;
            }
        }

        Assert.Equal(HttpStatusCode.Created, statuses[^1]);
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        await using var after = await factory.Database.Connections.OpenAsync();
        Assert.Equal(1, await after.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM challenges WHERE title = 'Written after the database came back'"));
        Assert.Equal(0, await after.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM challenges WHERE title = 'Written while the database is away'"));
        using var health = await browser.GetAsync("/challenges");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static async Task<string> IntegrityCheckAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check") ?? "";
    }

    [FactWhenMountAllowed]
    public async Task SqliteDiskFull_Answers503_WritesNothing_FileStaysIntact_AndWorksWhenSpaceReturns()
    {
        await using var disk = SmallFileSystem.Mount(24);
        await using var factory = new SmallDiskSqliteFactory(disk);
        await factory.InitializeAsync();
        using var api = await factory.ApiClientAsync(Enterprise);
        var before = await CountsAsync(factory.DatabaseFile, emptyTheLog: true);

        var filler = disk.Fill();
        using (var create = await api.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: "Written on a full disk")))
        {
            await AssertServiceUnavailableProblemAsync(create, DatabaseFaultMiddleware.CannotWriteMessage);
        }

        File.Delete(filler);
        Assert.Equal(before, await CountsAsync(factory.DatabaseFile));

        Assert.Equal("ok", await IntegrityCheckAsync(factory.DatabaseFile));
        using (var again = await api.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: "Written when space returned")))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }

        Assert.Equal("ok", await IntegrityCheckAsync(factory.DatabaseFile));
    }

    [FactWhenMountAllowed]
    public async Task SqliteReadOnlyFileSystem_Answers503_FileStaysIntact_AndWorksWhenWritableAgain()
    {
        await using var disk = SmallFileSystem.Mount(24);
        await using var factory = new SmallDiskSqliteFactory(disk);
        await factory.InitializeAsync();
        using var api = await factory.ApiClientAsync(Enterprise);
        var before = await CountsAsync(factory.DatabaseFile, emptyTheLog: true);

        SqliteConnection.ClearAllPools();
        disk.RemountReadOnly();
        try
        {
            using var create = await api.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: "Written on a read-only disk"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
            var detail = (await create.JsonAsync()).GetProperty("detail").GetString();
            Assert.Contains(detail, new[] { DatabaseFaultMiddleware.CannotWriteMessage, DatabaseFaultMiddleware.UnreachableMessage });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            disk.RemountReadWrite();
        }

        Assert.Equal(before, await CountsAsync(factory.DatabaseFile));

        Assert.Equal("ok", await IntegrityCheckAsync(factory.DatabaseFile));
        using var again = await api.PostAsJsonAsync("/api/v1/challenges", ChallengeJson(factory.Clock.GetUtcNow(), title: "Written when writable again"));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }
}
