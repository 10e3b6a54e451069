using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Email;
using Marketplace.Core.Notifications;
using Marketplace.Data.Application;
using Marketplace.Data.Email;
using Marketplace.Testing;
using MimeKit;

namespace Marketplace.Data.Tests.Email;

/// <summary>The outbox and the dispatcher against a real SMTP server (aiosmtpd) and real databases.</summary>
public sealed class EmailDispatchTests
{
    private const string ChineseTitle = "焊缝缺陷检测";

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task ChineseAndEnglishMails_ArriveWithDecodedSubjectsBodiesAndUnsubscribeHeaders(string engine)
    {
        await using var smtp = await SmtpTestServer.StartNewAsync();
        await using var h = await EmailHarness.CreateAsync(engine, EmailHarness.SmtpSettings(smtp.Port));
        var zh = await h.AddUserAsync("zhou@steel.example", "zh-CN");
        var en = await h.AddUserAsync("lee@vision.example", "en");
        await h.NotifyAsync(NotificationKinds.ChallengePublished, ChineseTitle, zh, en);

        var report = await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(2, report.Sent);
        var messages = await smtp.WaitForAsync(2);
        Assert.Equal(2, messages.Count);
        var chinese = messages.Single(m => m.To.Mailboxes.Single().Address == "zhou@steel.example");
        var english = messages.Single(m => m.To.Mailboxes.Single().Address == "lee@vision.example");
        Assert.Equal($"已发布：{ChineseTitle}", chinese.Subject);
        Assert.Equal($"Published: {ChineseTitle}", english.Subject);
        Assert.Contains($"您的榜单「{ChineseTitle}」已通过审核并发布。", chinese.TextBody, StringComparison.Ordinal);
        Assert.Contains("退订全部邮件", chinese.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Your challenge \"{ChineseTitle}\" passed screening and is published.", english.TextBody, StringComparison.Ordinal);
        Assert.Contains("passed screening", english.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("https://marketplace.example/notifications", english.HtmlBody, StringComparison.Ordinal);
        foreach (var message in messages)
        {
            Assert.StartsWith("<https://marketplace.example/email/unsubscribe/", message.Headers["List-Unsubscribe"], StringComparison.Ordinal);
            Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
            Assert.EndsWith("@marketplace.example", message.MessageId, StringComparison.Ordinal);
        }

        Assert.All(await h.OutboxAsync(), row => Assert.Equal((EmailStatus.Sent, 1), (row.Status, row.Attempts)));
        Assert.Equal(0, (await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None)).Claimed);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task KindTurnedOff_OrUnsubscribed_NothingIsSent(string engine)
    {
        await using var smtp = await SmtpTestServer.StartNewAsync();
        await using var h = await EmailHarness.CreateAsync(engine, EmailHarness.SmtpSettings(smtp.Port));
        var quiet = await h.AddUserAsync("quiet@steel.example", "zh-CN");
        var gone = await h.AddUserAsync("gone@steel.example", "en");
        var kindsOn = EmailKinds.Notifiable.Where(k => k != NotificationKinds.ChallengePublished).ToList();
        var saved = await h.Get<UseCaseRunner>().RunAsync(h.Get<SaveEmailPreferences>(), new Actor(quiet, [], [Roles.Enterprise]),
            new EmailPreferenceChange(EmailMode.EachNotification, kindsOn, AllEmail: true), CancellationToken.None);
        Assert.True(saved.IsSuccess, saved.Error?.Message);
        var token = await TokenOfAsync(h, gone);
        var unsubscribed = await h.Get<UseCaseRunner>().RunAsync(h.Get<Unsubscribe>(), null, token, CancellationToken.None);
        Assert.True(unsubscribed.IsSuccess, unsubscribed.Error?.Message);

        await h.NotifyAsync(NotificationKinds.ChallengePublished, ChineseTitle, quiet, gone);
        var report = await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, report.Claimed);
        Assert.Empty(smtp.Messages());
        Assert.All(await h.OutboxAsync(), row => Assert.Equal(EmailStatus.Suppressed, row.Status));

        // Another kind still reaches the first user, who turned only one kind off.
        await h.NotifyAsync(NotificationKinds.ChallengeClosed, ChineseTitle, quiet, gone);
        Assert.Equal(1, (await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None)).Sent);
        Assert.Equal("quiet@steel.example", Assert.Single(await smtp.WaitForAsync(1)).To.Mailboxes.Single().Address);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task DigestMode_SendsOneMailHoldingTheDaysNotifications_OncePerDay(string engine)
    {
        await using var smtp = await SmtpTestServer.StartNewAsync();
        await using var h = await EmailHarness.CreateAsync(engine, EmailHarness.SmtpSettings(smtp.Port));
        var user = await h.AddUserAsync("digest@vision.example", "en");
        var saved = await h.Get<UseCaseRunner>().RunAsync(h.Get<SaveEmailPreferences>(), new Actor(user, [], [Roles.Vendor]),
            new EmailPreferenceChange(EmailMode.Digest, EmailKinds.Notifiable.ToList(), AllEmail: true), CancellationToken.None);
        Assert.True(saved.IsSuccess, saved.Error?.Message);
        await h.NotifyAsync(NotificationKinds.ChallengePublished, "Alpha", user);
        await h.NotifyAsync(NotificationKinds.QuestionAnswered, "Beta", user);
        await h.NotifyAsync(NotificationKinds.ChallengeClosed, "Gamma", user);

        Assert.Equal(0, (await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None)).Claimed);
        var digest = await h.Get<EmailDigest>().RunOnceAsync(CancellationToken.None);
        Assert.Equal(new DigestReport(1, 3), digest);
        Assert.Equal(new DigestReport(0, 0), await h.Get<EmailDigest>().RunOnceAsync(CancellationToken.None));
        Assert.Equal(1, (await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None)).Sent);

        var mail = Assert.Single(await smtp.WaitForAsync(1));
        Assert.Equal("Daily digest (2026-03-02): 3 notifications", mail.Subject);
        foreach (var title in new[] { "Published: Alpha", "Question answered: Beta", "Closed: Gamma" })
        {
            Assert.Contains(title, mail.TextBody, StringComparison.Ordinal);
        }

        // A notification after today's digest waits for tomorrow's.
        await h.NotifyAsync(NotificationKinds.ChallengeWithdrawn, "Delta", user);
        Assert.Equal(0, (await h.Get<EmailDigest>().RunOnceAsync(CancellationToken.None)).Digests);
        h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new DigestReport(1, 1), await h.Get<EmailDigest>().RunOnceAsync(CancellationToken.None));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task SmtpDown_ThenBackUp_NothingLostNoneTwice(string engine)
    {
        await using var smtp = SmtpTestServer.OnFreePort(); // nothing listens yet
        await using var h = await EmailHarness.CreateAsync(engine, EmailHarness.SmtpSettings(smtp.Port));
        var users = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            users.Add(await h.AddUserAsync($"user{i}@vision.example", i % 2 == 0 ? "zh-CN" : "en"));
        }

        await h.NotifyAsync(NotificationKinds.ChallengeClosed, ChineseTitle, [.. users]);
        var down = await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None);
        Assert.Equal((4, 0, 4, 0), (down.Claimed, down.Sent, down.Failed, down.Dead));

        await smtp.StartAsync();
        Assert.Equal(0, (await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None)).Claimed); // backing off
        h.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(4, (await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None)).Sent);
        h.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, (await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None)).Claimed);

        var messages = await smtp.WaitForAsync(4);
        Assert.Equal(4, messages.Count);
        Assert.Equal(4, messages.Select(m => m.MessageId).Distinct().Count());
        Assert.All(await h.OutboxAsync(), row => Assert.Equal((EmailStatus.Sent, 2), (row.Status, row.Attempts)));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task AfterMaxAttempts_ADeadLetter_WhichAnAdminRetries_AndItIsSentOnce(string engine)
    {
        await using var smtp = SmtpTestServer.OnFreePort();
        await using var h = await EmailHarness.CreateAsync(engine, EmailHarness.SmtpSettings(smtp.Port, maxAttempts: 3));
        var user = await h.AddUserAsync("late@vision.example", "en");
        await h.NotifyAsync(NotificationKinds.ChallengeClosed, "Weld seams", user);
        var dispatcher = h.Get<EmailDispatcher>();

        var reports = new List<DispatchReport>();
        for (var i = 0; i < 3; i++)
        {
            reports.Add(await dispatcher.RunOnceAsync(CancellationToken.None));
            h.Clock.Advance(TimeSpan.FromHours(2));
        }

        Assert.Equal([0, 0, 1], reports.Select(r => r.Dead));
        var row = Assert.Single(await h.OutboxAsync());
        Assert.Equal((EmailStatus.Dead, 3), (row.Status, row.Attempts));
        var overview = await h.Get<EmailOutboxStore>().OverviewAsync(50, CancellationToken.None);
        Assert.Equal(1, overview.Counts.Single(c => c.Status == EmailStatus.Dead).Count);
        Assert.Contains("Exception", Assert.Single(overview.DeadLetters).LastError, StringComparison.Ordinal);
        Assert.Equal(0, (await dispatcher.RunOnceAsync(CancellationToken.None)).Claimed);

        await smtp.StartAsync();
        var runner = h.Get<UseCaseRunner>();
        var retry = h.Get<RetryDeadLetter>();
        var notAdmin = await runner.RunAsync(retry, new Actor(user, [], [Roles.Officer]), row.Id, CancellationToken.None);
        Assert.Equal(ErrorKind.Forbidden, notAdmin.Error?.Kind);
        var admin = new Actor(user, [], [Roles.Admin]);
        Assert.True((await runner.RunAsync(retry, admin, row.Id, CancellationToken.None)).IsSuccess);
        Assert.Equal(ErrorKind.Conflict, (await runner.RunAsync(retry, admin, row.Id, CancellationToken.None)).Error?.Kind);
        Assert.Equal(ErrorKind.NotFound, (await runner.RunAsync(retry, admin, row.Id + 1000, CancellationToken.None)).Error?.Kind);

        Assert.Equal(1, (await dispatcher.RunOnceAsync(CancellationToken.None)).Sent);
        Assert.Equal(0, (await dispatcher.RunOnceAsync(CancellationToken.None)).Claimed);
        Assert.Single(await smtp.WaitForAsync(1));
        Assert.Equal((EmailStatus.Sent, 1), Assert.Single(await h.OutboxAsync()) is var sent ? (sent.Status, sent.Attempts) : default);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task TwoDispatchersAtOnce_OnOneDatabase_SendEachMessageExactlyOnce(string engine)
    {
        await using var smtp = await SmtpTestServer.StartNewAsync();
        var settings = EmailHarness.SmtpSettings(smtp.Port) with { BatchSize = 4, MaxBatchesPerRun = 2 };
        await using var first = await EmailHarness.CreateAsync(engine, settings);
        await using var second = await EmailHarness.CreateAsync(engine, settings, shared: first.Database);
        var users = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            users.Add(await first.AddUserAsync($"bidder{i}@vision.example", i % 2 == 0 ? "zh-CN" : "en"));
        }

        await first.NotifyAsync(NotificationKinds.ChallengeClosed, ChineseTitle, [.. users]);

        async Task<int> DrainAsync(EmailDispatcher dispatcher)
        {
            var sent = 0;
            for (var round = 0; round < 50; round++)
            {
                var report = await dispatcher.RunOnceAsync(CancellationToken.None);
                sent += report.Sent;
                Assert.Equal(0, report.Failed);
                if (report.Claimed == 0)
                {
                    break;
                }
            }

            return sent;
        }

        var counts = await Task.WhenAll(Task.Run(() => DrainAsync(first.Get<EmailDispatcher>())), Task.Run(() => DrainAsync(second.Get<EmailDispatcher>())));

        Assert.Equal(30, counts.Sum());
        var messages = await smtp.WaitForAsync(30);
        Assert.Equal(30, messages.Count);
        Assert.Equal(30, messages.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(30, messages.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
        Assert.All(await first.OutboxAsync(), row => Assert.Equal((EmailStatus.Sent, 1), (row.Status, row.Attempts)));
    }

    [Theory, OnEngine(TestEngines.Sqlite)]
    public async Task WithoutSmtpHost_EachMessageIsAnEmlFileThatParses(string engine)
    {
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-tests", "pickup-" + Guid.NewGuid().ToString("N"));
        var settings = EmailHarness.SmtpSettings(0) with { SmtpHost = "", PickupFolder = folder };
        await using var h = await EmailHarness.CreateAsync(engine, settings);
        try
        {
            var user = await h.AddUserAsync("dev@steel.example", "zh-CN");
            await h.NotifyAsync(NotificationKinds.ChallengePublished, ChineseTitle, user);

            var report = await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None);

            Assert.Equal(1, report.Sent);
            Assert.Contains(folder, report.Destination, StringComparison.Ordinal);
            var file = Assert.Single(Directory.GetFiles(folder, "*.eml"));
            var message = await MimeMessage.LoadAsync(file);
            Assert.Equal($"已发布：{ChineseTitle}", message.Subject);
            Assert.Equal("dev@steel.example", message.To.Mailboxes.Single().Address);
            Assert.Contains(ChineseTitle, message.HtmlBody, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task RolledBackNotification_LeavesNoMailInTheOutbox(string engine)
    {
        await using var h = await EmailHarness.CreateAsync(engine, EmailHarness.SmtpSettings(1));
        var user = await h.AddUserAsync("nobody@steel.example", "en");
        await using (var work = await DbUnitOfWork.BeginAsync(h.Database.Connections, CancellationToken.None))
        {
            await h.Get<INotificationOutbox>().AddAsync(work,
                new NotificationRecord(NotificationKinds.ChallengeClosed, null, "x", null, [Audience.Users([user])], h.Clock.GetUtcNow()), CancellationToken.None);
            Assert.Single(await work.Connection.QueryAsyncList("SELECT id FROM email_outbox", work.Transaction));
            await work.RollbackAsync(CancellationToken.None);
        }

        Assert.Empty(await h.OutboxAsync());
    }

    private static async Task<string> TokenOfAsync(EmailHarness h, long userId)
    {
        await using var work = await DbUnitOfWork.BeginAsync(h.Database.Connections, CancellationToken.None);
        var token = await EmailPreferenceStore.EnsureTokenAsync(work.Connection, work.Transaction, work.Dialect, userId, h.Clock.GetUtcNow(), CancellationToken.None);
        await work.CommitAsync(CancellationToken.None);
        return token;
    }
}

internal static class ConnectionTestExtensions
{
    public static async Task<IReadOnlyList<long>> QueryAsyncList(this System.Data.Common.DbConnection connection, string sql, System.Data.Common.DbTransaction transaction) =>
        (await Dapper.SqlMapper.QueryAsync<long>(connection, sql, transaction: transaction)).ToList();
}

/// <summary>What happens when a dispatcher dies holding a claim (docs/email.md, "The guarantee").</summary>
public sealed class EmailCrashTests
{
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task DispatcherDiesHoldingAClaim_TheMessageGoesOutOnceTheClaimExpires_WithItsMessageId(string engine)
    {
        await using var smtp = await SmtpTestServer.StartNewAsync();
        await using var h = await EmailHarness.CreateAsync(engine, EmailHarness.SmtpSettings(smtp.Port) with { ClaimSeconds = 300 });
        var user = await h.AddUserAsync("crash@vision.example", "en");
        await h.NotifyAsync(NotificationKinds.ChallengeClosed, "Crash", user);
        var now = h.Clock.GetUtcNow();
        // A dispatcher claims the message and dies before sending (or before marking it sent).
        var claimed = Assert.Single(await h.Get<EmailOutboxStore>().ClaimAsync("dead-process", now, now.AddSeconds(300), 10, CancellationToken.None));

        Assert.Equal(0, (await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None)).Claimed);
        h.Clock.Advance(TimeSpan.FromSeconds(301));
        Assert.Equal(1, (await h.Get<EmailDispatcher>().RunOnceAsync(CancellationToken.None)).Sent);

        var mail = Assert.Single(await smtp.WaitForAsync(1));
        Assert.Equal(claimed.MessageId, mail.MessageId);
        // The dead process's late "sent" cannot overwrite the row another run now owns.
        Assert.False(await h.Get<EmailOutboxStore>().MarkSentAsync(claimed.Id, "dead-process", h.Clock.GetUtcNow(), CancellationToken.None));
    }
}
