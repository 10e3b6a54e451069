using System.CommandLine;
using Marketplace.Data.Matching;
using Marketplace.Data.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Cli;

/// <summary>`marketplace matcher refresh`: the CLI twin of the web app's background matcher refresh.</summary>
public static class MatcherCommands
{
    public static Command Create(GlobalOptions global)
    {
        var refresh = new Command("refresh", "Rebuild the matcher's index from the database, store every open challenge's suggested vendors, and say which ranker was used and why.");
        refresh.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            await using var services = global.BuildServices(parseResult);
            try
            {
                await services.GetRequiredService<MigrationRunner>().MigrateAsync(cancellationToken);
            }
            catch (MigrationException ex)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {ex.Message}");
                return 1;
            }

            var matchmaker = services.GetRequiredService<Matchmaker>();
            await matchmaker.RefreshAsync("command line", cancellationToken);
            var run = await services.GetRequiredService<MatchStore>().LatestRunAsync(cancellationToken);
            output.WriteLine(run is null
                ? "Nothing to rank: no open challenges or vendors."
                : $"Run {run.Id} {run.Status}: {run.Challenges} open challenges, {run.Vendors} vendors, ranker '{run.Ranker}'. {run.Message}");
            return run is null || run.Status == "completed" ? 0 : 1;
        });
        return new Command("matcher", "The matcher over the application's database.") { refresh };
    }
}
