using System.Reflection;
using Xunit.Sdk;

namespace Marketplace.Testing;

/// <summary>
/// The database engines a test can run on. SQLite is always there; PostgreSQL and SQL Server run when their
/// connection strings are given. Under CI (CI=true) PostgreSQL is required, so a missing server fails loudly
/// instead of quietly skipping.
/// </summary>
public static class TestEngines
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string SqlServer = "sqlserver";

    public const string PostgresVariable = "MARKETPLACE_TEST_POSTGRES";
    public const string SqlServerVariable = "MARKETPLACE_TEST_SQLSERVER";

    public static string? PostgresAdminConnectionString => Read(PostgresVariable);

    public static string? SqlServerAdminConnectionString => Read(SqlServerVariable);

    public static bool RunningInCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why tests on this engine are skipped here, or null when they run.</summary>
    public static string? SkipReason(string engine) => engine switch
    {
        Sqlite => null,
        Postgres when PostgresAdminConnectionString is not null || RunningInCi => null,
        Postgres => $"PostgreSQL tests need {PostgresVariable} (the test command sets it up).",
        SqlServer when SqlServerAdminConnectionString is not null => null,
        SqlServer => $"SQL Server tests need {SqlServerVariable} with a connection string; no SQL Server runs on this machine.",
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown engine."),
    };

    private static string? Read(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}

/// <summary>
/// Runs a theory once on the named engine, passing the engine name as the first argument, or reports it as
/// skipped with the reason. Put one attribute per engine on the test:
/// <c>[Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OnEngineAttribute(string engine) : DataAttribute
{
    public string Engine { get; } = engine;

    public override string? Skip
    {
        get => TestEngines.SkipReason(Engine);
        set { }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[Engine]];
}
