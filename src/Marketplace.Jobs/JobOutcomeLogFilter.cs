using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;

namespace Marketplace.Jobs;

/// <summary>
/// Puts job failures into the app's own log (Hangfire's internal logging is not routed there: see docs/jobs.md):
/// every attempt that throws as a warning with its exception (AutomaticRetry may still retry it), and a job that ends
/// Failed for good as an error.
/// </summary>
public sealed class JobOutcomeLogFilter(ILogger<JobOutcomeLogFilter> logger) : JobFilterAttribute, IServerFilter, IApplyStateFilter
{
    public void OnPerforming(PerformingContext context)
    {
    }

    public void OnPerformed(PerformedContext context)
    {
        // Hangfire wraps the job's own exception; the inner one is what the job threw.
        if (context.Exception is { } thrown && !context.ExceptionHandled)
        {
            var exception = thrown is Hangfire.Server.JobPerformanceException { InnerException: { } inner } ? inner : thrown;
            var attempt = context.GetJobParameter<int>("RetryCount") + 1;
            logger.LogWarning(exception, "Job {JobId} ({Job}) threw on attempt {Attempt}: {Message}",
                context.BackgroundJob.Id, Describe(context.BackgroundJob.Job), attempt, exception.Message);
        }
    }

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is FailedState failed)
        {
            logger.LogError(failed.Exception, "Job {JobId} ({Job}) failed and will not be retried; retry it from /hangfire once the cause is fixed.",
                context.BackgroundJob.Id, Describe(context.BackgroundJob.Job));
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }

    private static string Describe(Job? job) => job is null ? "unknown job" : $"{job.Type.Name}.{job.Method.Name}";
}
