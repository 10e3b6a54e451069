using Hangfire;
using Marketplace.Core.Matching;
using Marketplace.Data.Matching;
using Marketplace.Jobs;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Jobs;

/// <summary>A named job and what it does.</summary>
public sealed record JobInfo(string Name, string Description);

/// <summary>The background jobs, with the matcher's latest run (status and progress).</summary>
public sealed record JobsOverview(IReadOnlyList<JobInfo> Jobs, MatchRun? LatestMatchRun, bool Enabled);

/// <summary>A job placed in the queue.</summary>
public sealed record EnqueuedJob(string Name, string JobId);

/// <summary>
/// Background jobs for the programme office and administrators: list them with the matcher's latest run, and run one
/// now (it is queued for the workers; the dashboard at /hangfire follows it). 404 when Jobs:Enabled is false.
/// </summary>
[ApiController]
[Route("api/v1/jobs")]
[Authorize(Policy = AuthPolicies.ProgrammeStaff)]
[Tags("Jobs")]
public sealed class JobsApiController(MatchStore matches, IServiceProvider services) : ControllerBase
{
    [HttpGet]
    public async Task<JobsOverview> List(CancellationToken cancellationToken) => new(
        JobCatalog.Named.Select(j => new JobInfo(j.Key, j.Value)).ToList(),
        await matches.LatestRunAsync(cancellationToken),
        services.GetService<IBackgroundJobClient>() is not null);

    /// <summary>Queue a named job now.</summary>
    [HttpPost("{name}")]
    [ProducesResponseType<EnqueuedJob>(StatusCodes.Status202Accepted)]
    public ActionResult<EnqueuedJob> Enqueue(string name)
    {
        if (!JobCatalog.Named.ContainsKey(name) || services.GetService<IBackgroundJobClient>() is not { } client)
        {
            return NotFound();
        }

        var id = JobCatalog.Enqueue(client, name, $"asked by {User.Identity?.Name}");
        return Accepted(new EnqueuedJob(name, id));
    }
}
