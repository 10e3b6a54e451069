using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.Jobs;

/// <summary>
/// Registers the recurring jobs and, when Jobs:Server is on, runs this instance's Hangfire server (workers,
/// schedulers) inside the app. Starting it does not wait for any job, so the app's start-up stays fast.
/// </summary>
public sealed class JobsHost(JobStorage storage, JobsOptions options, IRecurringJobManager recurring, IJobFilterProvider filters,
    IServiceScopeFactory scopes, ILogger<JobsHost> logger) : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        JobCatalog.RegisterRecurring(recurring, options);
        if (!options.Server)
        {
            logger.LogInformation("Jobs: no workers on this instance (Jobs:Server=false); jobs are enqueued for another instance.");
            return Task.CompletedTask;
        }

        var poll = TimeSpan.FromSeconds(Math.Max(1, options.PollSeconds));
        _server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}",
            WorkerCount = Math.Max(1, options.WorkerCount),
            SchedulePollingInterval = poll,
            Activator = new AspNetCoreJobActivator(scopes),
            FilterProvider = filters,
            TimeZoneResolver = new DefaultTimeZoneResolver(),
        }, storage);
        logger.LogInformation("Jobs: Hangfire server with {Workers} worker(s) on {Storage}.", options.WorkerCount, storage.GetType().Name);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            _server.SendStop();
            await _server.WaitForShutdownAsync(cancellationToken);
        }
    }

    public void Dispose() => _server?.Dispose();
}
