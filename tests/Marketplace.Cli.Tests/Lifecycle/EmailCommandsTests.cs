using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Notifications;
using Marketplace.Data.Application;
using Marketplace.Data.Challenges;
using Marketplace.Data.Email;
using Marketplace.Testing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Marketplace.Cli.Tests.Lifecycle;

/// <summary>`marketplace email dispatch | digest | status | retry`, run as the operator runs them.</summary>
public sealed class EmailCommandsTests
{
    [Fact]
    public async Task Dispatch_SendsThroughTheConfiguredSmtpServer_AndStatusCountsIt()
    {
        await using var database = await TestDatabase.CreateAsync(TestEngines.Sqlite);
        await using var smtp = await SmtpTestServer.StartNewAsync();
        await NotifyAsync(database, "cli@steel.example", "zh-CN");
        var environment = new Dictionary<string, string>
        {
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp__Security"] = "none",
            ["Marketplace__BaseUrl"] = "https://marketplace.example",
        };
        string[] connection = ["--provider", database.Options.Provider, "--connection", database.Options.ConnectionString];

        var digest = await CliRunner.RunRawAsync([.. connection, "email", "digest"], environment);
        var dispatch = await CliRunner.RunRawAsync([.. connection, "email", "dispatch"], environment);
        var status = await CliRunner.RunRawAsync([.. connection, "email", "status"], environment);
        var retry = await CliRunner.RunRawAsync([.. connection, "email", "retry", "1"], environment);

        Assert.Equal((0, "0 digest(s) written, holding 0 notification(s)."), (digest.ExitCode, digest.Output.Trim()));
        Assert.Equal(0, dispatch.ExitCode);
        Assert.StartsWith("1 claimed, 1 sent, 0 failed", dispatch.Output, StringComparison.Ordinal);
        var mail = Assert.Single(await smtp.WaitForAsync(1));
        Assert.Equal("已截止：焊缝缺陷检测", mail.Subject);
        Assert.Contains("sent 1", status.Output, StringComparison.Ordinal);
        Assert.Equal(1, retry.ExitCode);
        Assert.Contains("not a dead letter", retry.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_WithoutSmtpHost_WritesEmlFilesToThePickupFolder()
    {
        await using var database = await TestDatabase.CreateAsync(TestEngines.Sqlite);
        var folder = Path.Combine(Path.GetTempPath(), "marketplace-tests", "cli-pickup-" + Guid.NewGuid().ToString("N"));
        await NotifyAsync(database, "dev@vision.example", "en");

        var dispatch = await CliRunner.RunRawAsync(["--provider", database.Options.Provider, "--connection", database.Options.ConnectionString, "email", "dispatch"],
            new Dictionary<string, string> { ["Smtp__Host"] = "", ["Email__PickupFolder"] = folder });

        try
        {
            Assert.Equal(0, dispatch.ExitCode);
            Assert.Contains($"folder {folder}", dispatch.Output, StringComparison.Ordinal);
            var message = await MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(folder, "*.eml")));
            Assert.Equal("Closed: 焊缝缺陷检测", message.Subject);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task NotifyAsync(TestDatabase database, string email, string language)
    {
        await using var connection = await database.Connections.OpenAsync();
        var userId = await connection.ExecuteScalarAsync<long>(
            database.Connections.Dialect.InsertReturningId("users",
                "user_name, normalized_user_name, email, normalized_email, display_name, preferred_language, security_stamp, concurrency_stamp, created_at",
                "@Email, @Upper, @Email, @Upper, @Email, @Language, 's', 'c', @At"),
            new { Email = email, Upper = email.ToUpperInvariant(), Language = language, At = DateTimeOffset.UtcNow });
        await using var services = new ServiceCollection().AddSingleton(database.Connections).AddSingleton(TimeProvider.System).AddUseCaseRunner().BuildServiceProvider();
        await using var work = await DbUnitOfWork.BeginAsync(database.Connections, CancellationToken.None);
        await services.GetRequiredService<INotificationOutbox>().AddAsync(work,
            new NotificationRecord(NotificationKinds.ChallengeClosed, null, "焊缝缺陷检测", null, [Audience.Users([userId])], DateTimeOffset.UtcNow), CancellationToken.None);
        await work.CommitAsync(CancellationToken.None);
    }
}
