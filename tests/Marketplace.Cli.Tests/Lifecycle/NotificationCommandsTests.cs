using Dapper;
using Marketplace.Testing;

namespace Marketplace.Cli.Tests.Lifecycle;

/// <summary>`marketplace notifications remind`, run as the operator runs it (a separate process of the built command).</summary>
public sealed class NotificationCommandsTests
{
    private static async Task<(int Exit, string Output)> RunAsync(TestDatabase database, params string[] arguments)
    {
        var result = await CliRunner.RunAsync(database, arguments);
        return (result.ExitCode, result.Output + result.Error);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Remind_RecordsEachDueReminderOnce(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var data = new TestData(database);
        var enterprise = await data.OrganisationAsync();
        var closingSoon = await data.ChallengeAsync(enterprise, c => c with { DeadlineAt = DateTimeOffset.UtcNow.AddHours(20) });
        await data.ChallengeAsync(enterprise, c => c with { DeadlineAt = DateTimeOffset.UtcNow.AddDays(20) });

        var first = await RunAsync(database, "notifications", "remind");
        var second = await RunAsync(database, "notifications", "remind");

        Assert.Equal(0, first.Exit);
        Assert.Contains("1 reminder(s) sent.", first.Output, StringComparison.Ordinal);
        Assert.Contains("No reminder is due.", second.Output, StringComparison.Ordinal);
        await using var connection = await database.Connections.OpenAsync();
        var key = await connection.ExecuteScalarAsync<string>("SELECT subject_key FROM notification_reminders WHERE kind = 'deadline_near'");
        Assert.StartsWith($"challenge:{closingSoon}:", key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remind_WithAnImpossibleWindow_IsRefused()
    {
        await using var database = await TestDatabase.CreateAsync(TestEngines.Sqlite);

        var result = await RunAsync(database, "notifications", "remind", "--deadline-hours", "0");

        Assert.Equal(2, result.Exit);
        Assert.Contains("--deadline-hours must be between 1 and 1440", result.Output, StringComparison.Ordinal);
    }
}
