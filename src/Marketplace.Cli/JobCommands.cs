using System.CommandLine;
using Hangfire;
using Marketplace.Data.Migrations;
using Marketplace.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Cli;

/// <summary>
/// `marketplace jobs list | run NAME | enqueue NAME`: every background job's twin. `run` does the job's work here and
/// now, without Hangfire; `enqueue` puts it in the web app's Hangfire queue (same database) for its workers.
/// </summary>
public static class JobCommands
{
    public static Command Create(GlobalOptions global)
    {
        var list = new Command("list", "List the background jobs and what each does.");
        list.SetAction(parseResult =>
        {
            foreach (var (name, description) in JobCatalog.Named)
            {
                parseResult.InvocationConfiguration.Output.WriteLine($"{name,-16} {description}");
            }

            return 0;
        });

        var runName = NameArgument();
        var run = new Command("run", "Run a job's work now, in this process (idempotent, like the job).") { runName };
        run.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = global.BuildServices(parseResult);
            if (await MigrateAsync(services, parseResult, cancellationToken) is { } failed)
            {
                return failed;
            }

            var outcome = await JobCatalog.RunAsync(services, parseResult.GetValue(runName)!, cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine($"{parseResult.GetValue(runName)}: {outcome}.");
            return 0;
        });

        var enqueueName = NameArgument();
        var enqueue = new Command("enqueue", "Queue a job for the web app's workers (Hangfire storage on the same database); prints the job id.") { enqueueName };
        enqueue.SetAction((parseResult, cancellationToken) =>
        {
            using var services = global.BuildServices(parseResult);
            if (services.GetService<IBackgroundJobClient>() is not { } client)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("error: background jobs are off (Jobs__Enabled=false).");
                return Task.FromResult(1);
            }

            var id = JobCatalog.Enqueue(client, parseResult.GetValue(enqueueName)!, "command line");
            parseResult.InvocationConfiguration.Output.WriteLine(id);
            return Task.FromResult(0);
        });

        return new Command("jobs", "Background jobs: list them, run one now, or queue one for the web app's workers.") { list, run, enqueue };
    }

    private static Argument<string> NameArgument()
    {
        var name = new Argument<string>("name") { Description = "The job: " + string.Join(", ", JobCatalog.Named.Keys) + "." };
        name.AcceptOnlyFromAmong([.. JobCatalog.Named.Keys]);
        return name;
    }

    private static async Task<int?> MigrateAsync(ServiceProvider services, ParseResult parseResult, CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<MigrationRunner>().MigrateAsync(cancellationToken);
            return null;
        }
        catch (MigrationException ex)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }
}
