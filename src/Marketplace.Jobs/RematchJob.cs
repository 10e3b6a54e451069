using System.Globalization;
using Hangfire.Server;
using Marketplace.Data.Matching;

namespace Marketplace.Jobs;

/// <summary>
/// Brings the matcher's index and stored suggestions up to date (Matchmaker.RefreshAsync). Enqueued after a
/// challenge is published, edited or closed and after a vendor's profile changes, and run on a schedule as the
/// safety net. Idempotent: a refresh with nothing changed does nothing; one refresh runs at a time per instance.
/// Reports its match run and progress as job parameters, shown on the dashboard's job page.
/// CLI twin: `marketplace jobs run rematch` (`matcher refresh`).
/// </summary>
public sealed class RematchJob(Matchmaker matchmaker)
{
    /// <summary>Job parameter: the match_runs id of this run.</summary>
    public const string RunParameter = "MatchRun";

    /// <summary>Job parameter: "done / total" of the current stage.</summary>
    public const string ProgressParameter = "Progress";

    /// <summary>Job parameter: the stage (indexing, training the re-ranker, ranking, completed).</summary>
    public const string StageParameter = "Stage";

    public async Task<string> RunAsync(string reason, PerformContext? context, CancellationToken cancellationToken)
    {
        var progress = context is null ? null : new JobParameterProgress(context);
        var runId = await matchmaker.RefreshAsync(reason, progress, cancellationToken);
        return runId is null ? "nothing had changed" : $"match run {runId}";
    }

    /// <summary>Synchronous on purpose (Progress&lt;T&gt; would post to the thread pool and could write after the job ended).</summary>
    private sealed class JobParameterProgress(PerformContext context) : IProgress<MatchProgress>
    {
        public void Report(MatchProgress value)
        {
            context.SetJobParameter(RunParameter, value.RunId.ToString(CultureInfo.InvariantCulture));
            context.SetJobParameter(StageParameter, value.Stage);
            context.SetJobParameter(ProgressParameter, $"{value.Done} / {value.Total}");
        }
    }
}
