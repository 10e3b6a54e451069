using Marketplace.Data;
using Marketplace.Data.Accounts;
using Marketplace.Data.Challenges;
using Marketplace.Data.Email;
using Marketplace.Data.Idempotency;
using Marketplace.Data.Matching;
using Marketplace.Data.Migrations;
using Marketplace.Data.Organisations;
using Marketplace.Data.Reviews;
using Marketplace.Data.Seeding;
using Marketplace.Data.Vendors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Cli;

/// <summary>
/// The same services the web app uses, built for one command. The database comes from --provider and
/// --connection, else from Database__Provider / Database__ConnectionString, else the web app's default SQLite file.
/// </summary>
public static class CliServices
{
    public static ServiceProvider Build(string? provider, string? connectionString)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (!string.IsNullOrWhiteSpace(provider))
        {
            options.Provider = provider;
        }

        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            options.ConnectionString = connectionString;
        }

        // Fails here, with the list of valid names, when the provider is misspelt.
        options.ParsedProvider();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(options);
        services.AddSingleton(new DbConnectionFactory(options));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<OrganisationStore>();
        services.AddSingleton<ChallengeStore>();
        services.AddSingleton<VendorStore>();
        services.AddScoped<DemoSeeder>();
        services.AddSingleton<MatchStore>();
        services.AddSingleton<Matchmaker>();
        services.AddMarketplaceAccounts();
        // Security__Idempotency__KeepHours in the environment: the CLI twin of the cleanup job keeps what the web app keeps.
        services.AddSingleton((configuration.GetSection(IdempotencySettings.SectionName).Get<IdempotencySettings>() ?? new IdempotencySettings()).Validated());
        services.AddChallengeLifecycleData();
        services.AddEmail(configuration);
        // The jobs, so `jobs run` is their twin; with Jobs:Enabled (the default) follow-up work of a command's use case
        // (a close enqueues a rematch) and `jobs enqueue` go to the same Hangfire storage as the web app's.
        services.AddMarketplaceJobs(configuration);
        // Review defaults (k = 3, load cap 15): the CLI twin of automatic assignment uses the same rules as the web app's defaults.
        services.AddReviewData(new Marketplace.Core.Features.Reviews.ReviewOptions());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>The repository's seeds/ folder, found by walking up from the working directory.</summary>
    public static string? FindSeedsFolder()
    {
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            var seeds = Path.Combine(folder.FullName, "seeds");
            if (File.Exists(Path.Combine(folder.FullName, "Marketplace.sln")) && Directory.Exists(seeds))
            {
                return seeds;
            }
        }

        return null;
    }
}
