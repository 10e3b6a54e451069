using Dapper;
using Marketplace.Testing;

namespace Marketplace.Cli.Tests;

public sealed class CliCommandTests
{
    private static string TestSeeds => Path.Combine(CliRunner.RepositoryRoot, "seeds", "test");

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Migrate_AppliesEverythingOnce_ThenReportsUpToDate(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);

        var first = await CliRunner.RunAsync(database, "migrate");
        var second = await CliRunner.RunAsync(database, "migrate");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("applied 0001_organisations_and_accounts.sql", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("up to date", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_OnADatabaseFromANewerBuild_FailsWithTheReason()
    {
        await using var database = await TestDatabase.CreateAsync(TestEngines.Sqlite);
        await using (var connection = await database.Connections.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (777, 'newer', 'x', '2030-01-01T00:00:00Z')");
        }

        var result = await CliRunner.RunAsync(database, "migrate");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("0777_newer", result.Error, StringComparison.Ordinal);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task UserAdd_CreatesAnOfficer_AndPrintsAGeneratedPasswordOnce(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);

        var result = await CliRunner.RunAsync(database, "user", "add", "--email", "Zhou.Min@Programme.example", "--role", "officer", "--name", "周敏");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Created Officer zhou.min@programme.example", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Generated password (shown once):", result.Output, StringComparison.Ordinal);
        await using var connection = await database.Connections.OpenAsync();
        var roles = await connection.QueryAsync<string>(
            "SELECT r.name FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id WHERE u.normalized_email = 'ZHOU.MIN@PROGRAMME.EXAMPLE'");
        Assert.Equal(["Officer"], roles);
    }

    [Fact]
    public async Task UserAdd_WithBadArguments_ExplainsEachProblem_AndCreatesNothing()
    {
        await using var database = await TestDatabase.CreateAsync(TestEngines.Sqlite);

        var result = await CliRunner.RunAsync(database, "user", "add", "--email", "not-an-email", "--role", "wizard", "--password", "short");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--email", result.Error, StringComparison.Ordinal);
        Assert.Contains("Unknown role 'wizard'", result.Error, StringComparison.Ordinal);
        await using var connection = await database.Connections.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public async Task UserAdd_TwiceWithTheSameEmail_RefusesTheSecond()
    {
        await using var database = await TestDatabase.CreateAsync(TestEngines.Sqlite);

        var first = await CliRunner.RunAsync(database, "user", "add", "--email", "admin@ops.example", "--role", "Admin", "--password", "A-Strong-Passw0rd!");
        var second = await CliRunner.RunAsync(database, "user", "add", "--email", "ADMIN@ops.example", "--role", "Admin", "--password", "A-Strong-Passw0rd!");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("--email", second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingRequiredOptions_AndUnknownProvider_AreUsageErrors()
    {
        var missing = await CliRunner.RunRawAsync(["user", "add"]);
        var provider = await CliRunner.RunRawAsync(["--provider", "oracle", "migrate"]);
        var fromEnvironment = await CliRunner.RunRawAsync(["migrate"], new Dictionary<string, string> { ["Database__Provider"] = "oracle" });

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("Option '--email' is required", missing.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, provider.ExitCode);
        Assert.Contains("oracle", provider.Error, StringComparison.Ordinal);
        Assert.Equal(2, fromEnvironment.ExitCode);
        Assert.Contains("Unknown database provider 'oracle'", fromEnvironment.Error, StringComparison.Ordinal);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task SeedDemo_IsIdempotent(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);

        var first = await CliRunner.RunAsync(database, "seed", "--demo", "--folder", TestSeeds, "--password", "Test-Password-1!");
        var counts = await CountsAsync(database);
        var second = await CliRunner.RunAsync(database, "seed", "--demo", "--folder", TestSeeds, "--password", "Test-Password-1!");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Demo data loaded", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("already loaded", second.Output, StringComparison.Ordinal);
        Assert.Equal(counts, await CountsAsync(database));
        // Users: the seven test people plus the second and third test reviewers.
        Assert.Equal((5, 9, 4, 4), counts);
    }

    [Fact]
    public async Task SeedDemo_RefusesADatabaseWithRealData()
    {
        await using var database = await TestDatabase.CreateAsync(TestEngines.Sqlite);
        await new TestData(database).OrganisationAsync(name: "A real customer");

        var result = await CliRunner.RunAsync(database, "seed", "--demo", "--folder", TestSeeds);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("only loaded into an empty database", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_WithoutSayingWhat_IsAUsageError()
    {
        await using var database = await TestDatabase.CreateAsync(TestEngines.Sqlite);

        var result = await CliRunner.RunAsync(database, "seed");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--demo", result.Error, StringComparison.Ordinal);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task MatcherRefresh_StoresSuggestions_AndSaysWhichRankerItUsed(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await CliRunner.RunAsync(database, "seed", "--demo", "--folder", TestSeeds, "--password", "Test-Password-1!");

        var result = await CliRunner.RunAsync(database, "matcher", "refresh");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("completed: 3 open challenges, 2 vendors, ranker 'text'", result.Output, StringComparison.Ordinal);
        await using var connection = await database.Connections.OpenAsync();
        Assert.True(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM match_results") > 0);
    }

    /// <summary>(organisations, users, challenges, portfolio cases)</summary>
    private static async Task<(int, int, int, int)> CountsAsync(TestDatabase database)
    {
        await using var connection = await database.Connections.OpenAsync();
        return (
            await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM organisations"),
            await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users"),
            await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM challenges"),
            await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM portfolio_cases"));
    }
}
