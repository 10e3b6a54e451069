using System.Data.Common;
using Dapper;
using Marketplace.Core.Application;
using Marketplace.Data.Application;
using Marketplace.Data.Audit;
using Marketplace.Data.Migrations;
using Marketplace.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Marketplace.Data.Tests.Audit;

/// <summary>
/// The audit log as a hash chain: appended through the application it verifies; edited, deleted or added to behind
/// the application's back (raw SQL, after switching off the append-only trigger as a database owner could) it names
/// the first broken entry; appenders at the same moment never fork it; entries from before the chain get chained.
/// </summary>
public sealed class AuditChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static async Task AppendAsync(TestDatabase db, int count, string label = "entry")
    {
        var log = new AuditLog(db.Connections);
        var factory = new DbUnitOfWorkFactory(db.Connections);
        for (var i = 0; i < count; i++)
        {
            await using var work = await factory.BeginAsync(CancellationToken.None);
            await log.AppendAsync(work, [new AuditRecord(null, null, "test_" + label, "a", "b", $"{label} {i} | with | bars", T0.AddMinutes(i).AddTicks(1234))], CancellationToken.None);
            await work.CommitAsync(CancellationToken.None);
        }
    }

    private static async Task<long> IdAtAsync(TestDatabase db, int place)
    {
        await using var connection = await db.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT id FROM challenge_audit WHERE chain_seq = @Place", new { Place = place });
    }

    /// <summary>What a database owner can do: switch the append-only trigger off, then run <paramref name="sql"/>.</summary>
    private static async Task BehindTheAppsBackAsync(TestDatabase db, string sql, object? parameters = null)
    {
        await using var connection = await db.Connections.OpenAsync();
        var (off, on) = db.Engine switch
        {
            TestEngines.Sqlite => ("DROP TRIGGER challenge_audit_no_update; DROP TRIGGER challenge_audit_no_delete;", ""),
            TestEngines.Postgres => ("ALTER TABLE challenge_audit DISABLE TRIGGER challenge_audit_append_only", "ALTER TABLE challenge_audit ENABLE TRIGGER challenge_audit_append_only"),
            _ => ("DISABLE TRIGGER challenge_audit_append_only ON challenge_audit", "ENABLE TRIGGER challenge_audit_append_only ON challenge_audit"),
        };
        await connection.ExecuteAsync(off);
        await connection.ExecuteAsync(sql, parameters);
        if (on.Length > 0)
        {
            await connection.ExecuteAsync(on);
        }
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task ChainWrittenByTheApp_Verifies_AndHeadMatchesTheLastEntry(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await AppendAsync(db, 5);

        var report = await AuditChain.VerifyAsync(db.Connections, CancellationToken.None);

        Assert.Null(report.FirstBreak);
        Assert.Equal(5, report.Entries);
        Assert.Equal(5, report.HeadSequence);
        await using var connection = await db.Connections.OpenAsync();
        Assert.Equal(report.HeadHash, await connection.ExecuteScalarAsync<string>("SELECT entry_hash FROM challenge_audit WHERE chain_seq = 5"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task UpdateOrDelete_IsRefusedByTheDatabase(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await AppendAsync(db, 2);
        await using var connection = await db.Connections.OpenAsync();

        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("UPDATE challenge_audit SET reason = 'rewritten' WHERE chain_seq = 1"));
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync("DELETE FROM challenge_audit WHERE chain_seq = 2"));

        Assert.Null((await AuditChain.VerifyAsync(db.Connections, CancellationToken.None)).FirstBreak);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task EditedReason_IsDetected_AtThatEntry(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await AppendAsync(db, 6);
        var third = await IdAtAsync(db, 3);

        await BehindTheAppsBackAsync(db, "UPDATE challenge_audit SET reason = 'nothing to see' WHERE id = @Id", new { Id = third });

        var broken = (await AuditChain.VerifyAsync(db.Connections, CancellationToken.None)).FirstBreak;
        Assert.NotNull(broken);
        Assert.Equal(third, broken.EntryId);
        Assert.Equal(3, broken.Sequence);
        Assert.Contains("changed", broken.Problem, StringComparison.Ordinal);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task EditedTimeOrActor_IsDetected(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await AppendAsync(db, 4);
        var second = await IdAtAsync(db, 2);

        await BehindTheAppsBackAsync(db, "UPDATE challenge_audit SET occurred_at = @At WHERE id = @Id", new { Id = second, At = T0.AddDays(-1) });

        Assert.Equal(second, (await AuditChain.VerifyAsync(db.Connections, CancellationToken.None)).FirstBreak?.EntryId);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task DeletedEntry_IsDetected_AtTheEntryAfterTheGap(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await AppendAsync(db, 5);
        var fourth = await IdAtAsync(db, 4);

        await BehindTheAppsBackAsync(db, "DELETE FROM challenge_audit WHERE chain_seq = 3");

        var broken = (await AuditChain.VerifyAsync(db.Connections, CancellationToken.None)).FirstBreak;
        Assert.NotNull(broken);
        Assert.Equal(fourth, broken.EntryId);
        Assert.Equal(3, broken.Sequence);
        Assert.Contains("missing", broken.Problem, StringComparison.Ordinal);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task DeletedLastEntries_AreDetected_ByTheHead(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await AppendAsync(db, 5);

        await BehindTheAppsBackAsync(db, "DELETE FROM challenge_audit WHERE chain_seq >= 4");

        var broken = (await AuditChain.VerifyAsync(db.Connections, CancellationToken.None)).FirstBreak;
        Assert.NotNull(broken);
        Assert.Null(broken.EntryId);
        Assert.Contains("end of the chain", broken.Problem, StringComparison.Ordinal);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task RowInsertedBehindTheAppsBack_IsDetected(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await AppendAsync(db, 3);

        await BehindTheAppsBackAsync(db, "INSERT INTO challenge_audit (action, reason, occurred_at) VALUES ('published', 'backdated', @At)", new { At = T0 });

        var broken = (await AuditChain.VerifyAsync(db.Connections, CancellationToken.None)).FirstBreak;
        Assert.NotNull(broken);
        Assert.Contains("not in the chain", broken.Problem, StringComparison.Ordinal);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task RewrittenEntryWithItsOwnHashRecomputed_BreaksTheLinkOfTheNext(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await AppendAsync(db, 4);
        await using (var connection = await db.Connections.OpenAsync())
        {
            var row = await connection.QuerySingleAsync<AuditChainRow>(AuditChain.SelectRows + " WHERE chain_seq = 2");
            var forged = AuditChain.Hash(row with { Reason = "forged" }, 2, row.PrevHash!);
            await BehindTheAppsBackAsync(db, "UPDATE challenge_audit SET reason = 'forged', entry_hash = @Hash WHERE id = @Id", new { Hash = forged, row.Id });
        }

        var broken = (await AuditChain.VerifyAsync(db.Connections, CancellationToken.None)).FirstBreak;
        Assert.Equal(await IdAtAsync(db, 3), broken?.EntryId);
        Assert.Contains("does not link", broken!.Problem, StringComparison.Ordinal);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AppendersAtTheSameMoment_NeverForkTheChain(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var log = new AuditLog(db.Connections);
        var factory = new DbUnitOfWorkFactory(db.Connections);
        const int writers = 12;
        using var start = new SemaphoreSlim(0);

        var tasks = Enumerable.Range(0, writers).Select(async i =>
        {
            await start.WaitAsync();
            await using var work = await factory.BeginAsync(CancellationToken.None);
            // Two entries per transaction, with a pause between reading the head and committing: a chain without a
            // lock would let another writer read the same head in that window.
            await log.AppendAsync(work, [new AuditRecord(null, null, "concurrent", null, null, $"writer {i} first", T0), new AuditRecord(null, null, "concurrent", null, null, $"writer {i} second", T0)],
                CancellationToken.None);
            await Task.Delay(20);
            await work.CommitAsync(CancellationToken.None);
        }).ToList();
        start.Release(writers);
        await Task.WhenAll(tasks);

        var report = await AuditChain.VerifyAsync(db.Connections, CancellationToken.None);
        Assert.Null(report.FirstBreak);
        Assert.Equal(writers * 2, report.Entries);
        await using var connection = await db.Connections.OpenAsync();
        // Each writer's two entries sit next to each other: nobody chained in between.
        var reasons = (await connection.QueryAsync<string>("SELECT reason FROM challenge_audit ORDER BY chain_seq")).ToList();
        for (var i = 0; i < reasons.Count; i += 2)
        {
            Assert.Equal(reasons[i].Replace("first", "second", StringComparison.Ordinal), reasons[i + 1]);
        }
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task EntriesFromBeforeTheChain_AreChainedAtMigration_InIdOrder_TheSameWayOnEveryRun(string engine)
    {
        var heads = new List<string>();
        for (var run = 0; run < 2; run++)
        {
            await using var db = await TestDatabase.CreateAsync(engine, migrate: false);
            var clock = new FakeTimeProvider(T0);
            var all = MigrationScript.LoadEmbedded(db.Connections.Dialect);
            await new MigrationRunner(db.Connections, clock, all.Where(s => s.Version < 17).ToList()).MigrateAsync();
            await using (var connection = await db.Connections.OpenAsync())
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO organisations (kind, name, slug, created_at) VALUES ('enterprise', 'Old Steel', 'old-steel', @At);
                    """, new { At = T0 });
                var org = await connection.ExecuteScalarAsync<long>("SELECT id FROM organisations WHERE slug = 'old-steel'");
                var challenge = await InsertChallengeAsync(connection, org);
                foreach (var (action, minute) in new[] { ("created", 1), ("submitted", 2), ("published", 3) })
                {
                    await connection.ExecuteAsync(
                        "INSERT INTO challenge_audit (challenge_id, action, from_status, to_status, reason, occurred_at) VALUES (@Challenge, @Action, NULL, @Action, 'before the chain', @At)",
                        new { Challenge = challenge, Action = action, At = T0.AddMinutes(minute) });
                }
            }

            await new MigrationRunner(db.Connections, clock, all).MigrateAsync();
            await AppendAsync(db, 1, "after");

            var report = await AuditChain.VerifyAsync(db.Connections, CancellationToken.None);
            Assert.Null(report.FirstBreak);
            Assert.Equal(4, report.Entries);
            await using (var connection = await db.Connections.OpenAsync())
            {
                Assert.Equal(["created", "submitted", "published", "test_after"], (await connection.QueryAsync<string>("SELECT action FROM challenge_audit ORDER BY chain_seq")).ToList());
                Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM challenge_audit WHERE chain_seq IS NULL"));
            }

            // A second start-up finds nothing left to chain.
            await new MigrationRunner(db.Connections, clock, all).MigrateAsync();
            heads.Add((await AuditChain.VerifyAsync(db.Connections, CancellationToken.None)).HeadHash);
        }

        Assert.Equal(heads[0], heads[1]);
    }

    [Fact]
    public void Canonical_KeepsFieldBoundaries_AndNullApartFromText()
    {
        var a = AuditChain.Canonical(1, AuditChain.Genesis, 1, null, "x", "a|b", "c", null, T0);
        var b = AuditChain.Canonical(1, AuditChain.Genesis, 1, null, "x", "a", "b|c", null, T0);
        var nullReason = AuditChain.Canonical(1, AuditChain.Genesis, 1, null, "x", null, null, null, T0);
        var dashReason = AuditChain.Canonical(1, AuditChain.Genesis, 1, null, "x", null, null, "-", T0);

        Assert.NotEqual(a, b);
        Assert.NotEqual(nullReason, dashReason);
        Assert.Equal("marketplace-audit/1|1:1|64:" + AuditChain.Genesis + "|1:1|-|1:x|-|-|1:-|24:2026-03-01T08:00:00.000Z", dashReason);
    }

    private static async Task<long> InsertChallengeAsync(DbConnection connection, long org)
    {
        await connection.ExecuteAsync(
            """
            INSERT INTO challenges (enterprise_id, language, title, industry, scenario, target_trl, deadline_at, status, visibility, created_at, updated_at)
            VALUES (@Org, 'en', 'Old challenge', 'steel', 'A scenario from before the chain.', 5, @Deadline, 'published', 'public', @At, @At)
            """, new { Org = org, Deadline = T0.AddDays(30), At = T0 });
        return await connection.ExecuteScalarAsync<long>("SELECT MAX(id) FROM challenges");
    }
}
