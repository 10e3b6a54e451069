using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Cli;

/// <summary>Options every database command accepts.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Provider { get; } = new("--provider")
    {
        Description = "Database engine: sqlite (default), postgres or sqlserver. Default from Database__Provider.",
        Recursive = true,
    };

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "ADO.NET connection string. Default from Database__ConnectionString, else Data Source=data/marketplace.db.",
        Recursive = true,
    };

    public GlobalOptions() => Provider.AcceptOnlyFromAmong("sqlite", "postgres", "sqlserver");

    public ServiceProvider BuildServices(ParseResult parseResult) =>
        CliServices.Build(parseResult.GetValue(Provider), parseResult.GetValue(Connection));
}
