using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Notifications;
using Marketplace.Data;
using Marketplace.Data.Application;
using Marketplace.Data.Challenges;
using Marketplace.Data.Email;
using Marketplace.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Web.Tests.Jobs;

/// <summary>
/// The e-mail outbox with the real app as separate processes and a real SMTP server (aiosmtpd): unsent mail survives
/// `kill -9` mid-dispatch and every message arrives after the restart; two instances on one PostgreSQL, both
/// dispatching, send each message exactly once.
/// </summary>
public sealed class MailDurabilityTests
{
    private const string Domain = "outbox.test";

    /// <summary>Hangfire workers of each instance: dispatch runs that may be under way at once.</summary>
    private const int Workers = 2;

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task UnsentMail_SurvivesKillDashNineMidDispatch_AndEveryMessageArrivesAfterRestart(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        await using var smtp = await SmtpTestServer.StartNewAsync();
        var settings = DispatchSettings(smtp.Port);
        const int Expected = 600;
        int unsentAtTheKill;

        await using (var first = await AppProcess.StartAsync(database.Options, server: true, settings))
        {
            // The app migrated the database; its dispatcher picks messages up as they are committed.
            await NotifyAsync(database, users: 20, rounds: Expected / 20);
            var until = DateTime.UtcNow.AddSeconds(60);
            while (Ours(smtp).Count < 30)
            {
                Assert.True(DateTime.UtcNow < until, $"Nothing was sent within a minute.\n{first.Log}");
                await Task.Delay(20);
            }

            first.Kill();
            unsentAtTheKill = await CountAsync(database, $"SELECT COUNT(*) FROM email_outbox WHERE status <> 'sent' AND recipient_address LIKE '%@{Domain}'");
        }

        // The kill must have landed mid-dispatch for this test to mean anything.
        Assert.True(unsentAtTheKill > 0, "Every message was already sent when the process was killed: nothing was left to survive the kill.");

        await using (var second = await AppProcess.StartAsync(database.Options, server: true, settings))
        {
            await WaitUntilAllSentAsync(database, Expected, second);
        }

        var arrived = Ours(smtp);
        var outbox = (await QueryAsync(database, $"SELECT message_id FROM email_outbox WHERE recipient_address LIKE '%@{Domain}'")).Select(Bare).ToHashSet();
        var byId = arrived.GroupBy(m => Bare(m.MessageId)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Expected, outbox.Count);
        // Every message arrived; a message the dead process had handed to the server but not yet marked sent (a window of
        // one UPDATE per dispatcher) goes out again with the same Message-ID, which receiving mail systems treat as one.
        // Each of the instance's workers may be running a dispatch at the kill, so at most one message per worker.
        Assert.Equal(outbox.Order(), byId.Keys.Order());
        var twice = byId.Count(kv => kv.Value > 1);
        Assert.True(twice <= Workers, $"{twice} messages arrived twice; only those in flight at the kill (one per worker, {Workers}) may.");
        Assert.All(byId.Values, n => Assert.InRange(n, 1, 2));
    }

    [Theory, OnEngine(TestEngines.Postgres)]
    public async Task TwoInstancesOnOnePostgres_BothDispatching_SendEachMessageExactlyOnce(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        await using var smtp = await SmtpTestServer.StartNewAsync();
        var settings = DispatchSettings(smtp.Port);
        const int Expected = 400;

        await using (var first = await AppProcess.StartAsync(database.Options, server: true, settings))
        await using (var second = await AppProcess.StartAsync(database.Options, server: true, settings))
        {
            await NotifyAsync(database, users: 20, rounds: Expected / 20);
            await WaitUntilAllSentAsync(database, Expected, second);
        }

        var arrived = Ours(smtp);
        var outbox = (await QueryAsync(database, $"SELECT message_id FROM email_outbox WHERE recipient_address LIKE '%@{Domain}'")).Select(Bare).ToList();
        Assert.Equal(Expected, arrived.Count);
        Assert.Equal(outbox.Order(), arrived.Select(m => Bare(m.MessageId)).Order());
    }

    /// <summary>Dispatch every second, in small batches, with claims that expire soon after a crash.</summary>
    private static Dictionary<string, string> DispatchSettings(int smtpPort) => new()
    {
        ["Smtp__Host"] = "127.0.0.1",
        ["Smtp__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp__Security"] = "none",
        ["Email__BatchSize"] = "20",
        ["Email__ClaimSeconds"] = "15",
        ["Jobs__EmailDispatchCron"] = "*/1 * * * * *",
        ["Jobs__WorkerCount"] = Workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Writes notifications the way every use case does (a transaction through the notification outbox, which adds the
    /// e-mail rows): <paramref name="rounds"/> notifications to each of <paramref name="users"/> new people.
    /// </summary>
    private static async Task NotifyAsync(TestDatabase database, int users, int rounds)
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(database.Connections)
            .AddSingleton(TimeProvider.System)
            .AddUseCaseRunner()
            .AddEmail(new EmailSettings())
            .BuildServiceProvider();
        var ids = new List<long>();
        await using (var connection = await database.Connections.OpenAsync())
        {
            for (var i = 0; i < users; i++)
            {
                var email = $"person{i}@{Domain}";
                ids.Add(await connection.ExecuteScalarAsync<long>(
                    database.Connections.Dialect.InsertReturningId("users",
                        "user_name, normalized_user_name, email, normalized_email, display_name, preferred_language, security_stamp, concurrency_stamp, created_at",
                        "@Email, @Upper, @Email, @Upper, @Email, @Language, 's', 'c', @At"),
                    new { Email = email, Upper = email.ToUpperInvariant(), Language = i % 2 == 0 ? "zh-CN" : "en", At = DateTimeOffset.UtcNow }));
            }
        }

        var outbox = services.GetRequiredService<INotificationOutbox>();
        for (var round = 0; round < rounds; round++)
        {
            await using var work = await DbUnitOfWork.BeginAsync(database.Connections, CancellationToken.None);
            await outbox.AddAsync(work, new NotificationRecord(NotificationKinds.ChallengePublished, null, $"焊缝缺陷检测 {round}", null,
                [Audience.Users(ids)], DateTimeOffset.UtcNow), CancellationToken.None);
            await work.CommitAsync(CancellationToken.None);
        }
    }

    private static async Task WaitUntilAllSentAsync(TestDatabase database, int expected, AppProcess app)
    {
        var until = DateTime.UtcNow.AddSeconds(120);
        while (await CountAsync(database, $"SELECT COUNT(*) FROM email_outbox WHERE status = 'sent' AND recipient_address LIKE '%@{Domain}'") < expected)
        {
            Assert.True(DateTime.UtcNow < until, $"Not every message was sent within two minutes.\n{app.Log}");
            await Task.Delay(200);
        }
    }

    private static List<MimeKit.MimeMessage> Ours(SmtpTestServer smtp) =>
        smtp.Messages().Where(m => m.To.Mailboxes.Any(a => a.Address.EndsWith("@" + Domain, StringComparison.Ordinal))).ToList();

    private static string Bare(string? messageId) => (messageId ?? "").Trim().Trim('<', '>');

    private static async Task<int> CountAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.Connections.OpenAsync();
        return await connection.ExecuteScalarAsync<int>(sql);
    }

    private static async Task<List<string>> QueryAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.Connections.OpenAsync();
        return (await connection.QueryAsync<string>(sql)).AsList();
    }
}
