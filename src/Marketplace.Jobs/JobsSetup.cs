using System.Net;
using Hangfire;
using Hangfire.Common;
using Hangfire.Dashboard;
using Marketplace.Core.Application;
using Marketplace.Data.Matching;
using Marketplace.Jobs;
using Microsoft.Extensions.Configuration;

// In the DI namespace, like the framework's own Add… extensions.
namespace Microsoft.Extensions.DependencyInjection;

public static class JobsSetup
{
    private static int _globalsApplied;

    /// <summary>
    /// The jobs (always, so the CLI twins can run them) and, when Jobs:Enabled, Hangfire: storage on the app's own
    /// database, client, recurring schedule, follow-up jobs and this instance's server. Needs DatabaseOptions registered.
    /// </summary>
    public static IServiceCollection AddMarketplaceJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        services.AddSingleton(options);
        services.AddTransient<LifecycleClockJob>();
        services.AddTransient<RematchJob>();
        services.AddTransient<WeeklyDigestJob>();
        services.AddTransient<EmailDispatchJob>();
        services.AddTransient<EmailDigestJob>();
        services.AddTransient<AssignReviewersJob>();
        services.AddTransient<SecurityCleanupJob>();
        services.AddSingleton<JobHealth>();
        if (!options.Enabled)
        {
            return services;
        }

        ApplyGlobals();
        services.AddSingleton(sp => JobStorageFactory.Create(sp.GetRequiredService<Marketplace.Data.DatabaseOptions>(), options));
        services.AddSingleton<IJobFilterProvider>(sp => FiltersFor(options, sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        services.AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(sp.GetRequiredService<JobStorage>(), sp.GetRequiredService<IJobFilterProvider>()));
        services.AddSingleton<IRecurringJobManager>(sp => new RecurringJobManager(sp.GetRequiredService<JobStorage>(), sp.GetRequiredService<IJobFilterProvider>()));
        services.AddSingleton<IFollowUpWork, HangfireFollowUpWork>();
        services.AddHostedService<JobsHost>();
        return services;
    }

    /// <summary>
    /// Hangfire's default filters (statistics, continuations, culture capture) with our AutomaticRetry in place of the
    /// default one (10 attempts): Jobs:RetryAttempts after Jobs:RetryDelaySeconds each, and (given a logger factory)
    /// <see cref="JobOutcomeLogFilter"/> writing failures to the app's log. Kept per app, not global.
    /// </summary>
    public static IJobFilterProvider FiltersFor(JobsOptions options, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null)
    {
        var filters = new JobFilterCollection();
        foreach (var filter in GlobalJobFilters.Filters.Where(f => f.Instance is not AutomaticRetryAttribute))
        {
            filters.Add(filter.Instance, filter.Order);
        }

        var delay = Math.Max(0, options.RetryDelaySeconds);
        filters.Add(new AutomaticRetryAttribute
        {
            Attempts = Math.Max(0, options.RetryAttempts),
            DelaysInSeconds = [delay],
            OnAttemptsExceeded = AttemptsExceededAction.Fail,
        });
        if (loggers is not null)
        {
            filters.Add(new JobOutcomeLogFilter(Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<JobOutcomeLogFilter>(loggers)));
        }

        return filters;
    }

    /// <summary>Process-wide Hangfire settings; the same values every time, so applying them from two apps is harmless.</summary>
    private static void ApplyGlobals()
    {
        if (Interlocked.Exchange(ref _globalsApplied, 1) == 1)
        {
            return;
        }

        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            // The rematch job's progress (job parameters) on the dashboard's job page.
            .UseJobDetailsRenderer(100, dto =>
        {
            var properties = dto.JobDetails?.Properties;
            if (properties is null || !properties.TryGetValue(RematchJob.ProgressParameter, out var progress))
            {
                return new NonEscapedString(string.Empty);
            }

            properties.TryGetValue(RematchJob.RunParameter, out var run);
            properties.TryGetValue(RematchJob.StageParameter, out var stage);
            return new NonEscapedString(
                $"<div class=\"alert alert-info\" data-testid=\"match-progress\">Match run {WebUtility.HtmlEncode(run?.Trim('"'))}: " +
                $"{WebUtility.HtmlEncode(stage?.Trim('"') ?? MatchStages.Ranking)}, {WebUtility.HtmlEncode(progress.Trim('"'))}.</div>");
            });
    }
}
