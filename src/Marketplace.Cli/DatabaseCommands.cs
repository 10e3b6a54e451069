using System.CommandLine;
using Marketplace.Data.Migrations;
using Marketplace.Data.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Cli;

/// <summary>`marketplace migrate` and `marketplace seed --demo`.</summary>
public static class DatabaseCommands
{
    public static Command Migrate(GlobalOptions global)
    {
        var command = new Command("migrate", "Apply the database migrations this build knows (the web app also does this at start-up).");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = global.BuildServices(parseResult);
            var runner = services.GetRequiredService<MigrationRunner>();
            try
            {
                var report = await runner.MigrateAsync(cancellationToken);
                foreach (var script in report.Applied)
                {
                    parseResult.InvocationConfiguration.Output.WriteLine($"applied {script.FileName}");
                }

                parseResult.InvocationConfiguration.Output.WriteLine(report.Applied.Count == 0
                    ? $"The database is up to date ({report.AlreadyApplied} migrations)."
                    : $"{report.Applied.Count} migration(s) applied; {report.AlreadyApplied + report.Applied.Count} in total.");
                return 0;
            }
            catch (MigrationException ex)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    public static Command Seed(GlobalOptions global)
    {
        var demo = new Option<bool>("--demo") { Description = "Load the demo data from seeds/demo (only into an empty database or one holding only demo data)." };
        var folder = new Option<string?>("--folder") { Description = "The folder holding the seed files (default: seeds/demo of this checkout)." };
        var password = new Option<string?>("--password") { Description = "Password for every demo account (default: Marketplace__DemoPassword, else a random one, printed)." };
        var command = new Command("seed", "Load seed data.") { demo, folder, password };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!parseResult.GetValue(demo))
            {
                error.WriteLine("error: say which seed data to load: --demo.");
                return 2;
            }

            var seeds = parseResult.GetValue(folder) ?? (CliServices.FindSeedsFolder() is { } found ? Path.Combine(found, "demo") : null);
            if (seeds is null)
            {
                error.WriteLine("error: no seeds/ folder found here; run from the repository or pass --folder.");
                return 2;
            }

            await using var services = global.BuildServices(parseResult);
            try
            {
                await services.GetRequiredService<MigrationRunner>().MigrateAsync(cancellationToken);
                var data = DemoSeedData.Load(seeds);
                await using var scope = services.CreateAsyncScope();
                var given = parseResult.GetValue(password) ?? Environment.GetEnvironmentVariable("Marketplace__DemoPassword");
                var chosen = string.IsNullOrEmpty(given) ? DemoSeeder.NewPassword() : given;
                var result = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(data, chosen, cancellationToken);
                output.WriteLine(result.Seeded ? $"Demo data loaded: {result.Summary}." : "The demo data is already loaded; nothing to add.");
                if (result.Seeded && string.IsNullOrEmpty(given))
                {
                    output.WriteLine($"Password of every demo account: {chosen}");
                }
                return 0;
            }
            catch (Exception ex) when (ex is SeedDataException or MigrationException)
            {
                error.WriteLine($"error: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
