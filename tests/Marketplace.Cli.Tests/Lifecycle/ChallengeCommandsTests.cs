using System.CommandLine;
using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Testing;

namespace Marketplace.Cli.Tests.Lifecycle;

/// <summary>
/// `marketplace challenges close-due`, invoked in process through its own command tree (Program.cs registers it with
/// the other commands; these tests do not depend on that line).
/// </summary>
public sealed class ChallengeCommandsTests
{
    private static async Task<(int Exit, string Output)> RunAsync(TestDatabase database, params string[] arguments)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("test") { ChallengeCommands.Create(global) };
        root.Options.Add(global.Provider);
        root.Options.Add(global.Connection);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await root.Parse(["--provider", database.Options.Provider, "--connection", database.Options.ConnectionString, .. arguments])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString() + error);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task CloseDue_ClosesChallengesPastTheirDeadline_Once(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var data = new TestData(database);
        var enterprise = await data.OrganisationAsync();
        var due = await data.ChallengeAsync(enterprise, c => c with { DeadlineAt = DateTimeOffset.UtcNow.AddHours(-1) });
        var open = await data.ChallengeAsync(enterprise);

        var first = await RunAsync(database, "challenges", "close-due");
        var second = await RunAsync(database, "challenges", "close-due");

        Assert.Equal(0, first.Exit);
        Assert.Contains("1 challenge(s) closed.", first.Output, StringComparison.Ordinal);
        Assert.Contains("No challenge is past its deadline.", second.Output, StringComparison.Ordinal);
        await using var connection = await database.Connections.OpenAsync();
        // Nobody bid on it, so it ends without an award at once (with proposals it would wait in "closed" for review).
        Assert.Equal(ChallengeStatus.NotAwarded, await connection.ExecuteScalarAsync<string>("SELECT status FROM challenges WHERE id = @Id", new { Id = due }));
        Assert.Equal(ChallengeStatus.Published, await connection.ExecuteScalarAsync<string>("SELECT status FROM challenges WHERE id = @Id", new { Id = open }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM challenge_audit WHERE challenge_id = @Id AND action = 'closed_without_proposals'", new { Id = due }));
    }
}
