using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Delivery;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Notifications;

namespace Marketplace.Core.Features.Delivery;

/// <summary>What every delivery use case works on: the project, read inside the transaction.</summary>
public record ProjectWork(ProjectState Project);

/// <summary>
/// The answer to every delivery decision (milestone accepted or rejected, adjustment approved or declined, failure
/// filed): what moved (<see cref="Id"/>, a milestone, an adjustment or the project), its new status, and its project
/// with the project's status afterwards.
/// </summary>
public sealed record DeliveryTransition(long Id, string Status, long ProjectId, string ProjectStatus)
{
    /// <summary>The decision completed the project (the last milestone was accepted).</summary>
    public bool ProjectCompleted => ProjectStatus == Core.Delivery.ProjectStatus.Completed;
}

/// <summary>
/// The shared shape of every change on a delivery project: find the project (from itself, a milestone or an
/// adjustment), load it and what the subclass needs inside the transaction, authorise the subclass's
/// <see cref="Part"/> with <see cref="ProjectPolicy"/>; then the subclass decides and applies. Subclasses hold only
/// what differs: where the project is found, what else is read, which part acts, the rule and the writes.
/// </summary>
public abstract class DeliveryUseCase<TRequest, TState, TDecision, TResult>(IProjectStore projects) : UseCase<TRequest, TState, TDecision, TResult>
    where TState : ProjectWork
{
    protected IProjectStore Projects => projects;

    /// <summary>Which part of the project this use case is for.</summary>
    protected abstract ProjectPart Part { get; }

    /// <summary>The project the request is about; null when its subject does not exist.</summary>
    protected abstract Task<long?> ProjectIdAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken);

    /// <summary>What the decision needs besides the project.</summary>
    protected abstract Task<TState?> LoadAsync(UseCaseContext context, TRequest request, ProjectState project, CancellationToken cancellationToken);

    /// <summary>The answer for a subject that does not exist or the actor may not see, naming what was asked for.</summary>
    protected abstract Error NotFound(TRequest request);

    protected sealed override async Task<TState?> LoadAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken)
    {
        var projectId = await ProjectIdAsync(context, request, cancellationToken);
        var project = projectId is null ? null : await projects.LoadProjectAsync(context.Work, projectId.Value, cancellationToken);
        return project is null ? null : await LoadAsync(context, request, project, cancellationToken);
    }

    protected sealed override Error? Authorise(UseCaseContext context, TRequest request, TState? state) =>
        ProjectPolicy.Authorise(context.Actor, state?.Project, Part, NotFound(request));

    /// <summary>Audits a delivery step in the challenge's log.</summary>
    protected static void Audit(UseCaseContext context, ProjectState project, DeliveryMove move, string? reason) =>
        context.Audit(project.ChallengeId, move.Action, move.From, move.To, reason);

    /// <summary>Notifies about the project's challenge.</summary>
    protected static void Notify(UseCaseContext context, ProjectState project, string kind, string? reason, params Audience[] audiences) =>
        context.Notify(kind, project.ChallengeId, project.ChallengeTitle, reason, audiences);

    protected static Audience VendorOf(ProjectState project) => Audience.MembersOf(project.VendorId);

    protected static Audience EnterpriseOf(ProjectState project) => Audience.MembersOf(project.EnterpriseId);
}

/// <summary>A use case on a project named by its id.</summary>
public abstract class ProjectUseCase<TRequest, TState, TDecision, TResult>(IProjectStore projects) : DeliveryUseCase<TRequest, TState, TDecision, TResult>(projects)
    where TRequest : IProjectRequest
    where TState : ProjectWork
{
    protected override Task<long?> ProjectIdAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<long?>(request.ProjectId);

    protected override Error NotFound(TRequest request) => ProjectPolicy.NotFound(request.ProjectId);
}

/// <summary>A request about one delivery project.</summary>
public interface IProjectRequest
{
    long ProjectId { get; }
}

/// <summary>
/// Ends a project (completed or failed), audits it and tells both parties and the officers; then, when every project of
/// the challenge has ended, moves the challenge to Completed (one project completed) or Failed (the cause of the last
/// filing as the reason) with <see cref="ChallengeWorkflow"/>, audited. False when the project or the challenge moved
/// meanwhile: the caller answers Conflict, which rolls everything back.
/// </summary>
public sealed class ProjectEnding(IProjectStore projects, IChallengeLifecycleStore challenges)
{
    public async Task<bool> EndAsync(UseCaseContext context, ProjectState project, DeliveryMove move, string? reason, CancellationToken cancellationToken)
    {
        if (!await projects.MoveProjectAsync(context.Work, project.Id, move, context.Now, cancellationToken))
        {
            return false;
        }

        context.Audit(project.ChallengeId, move.Action, move.From, move.To, reason);
        var kind = move.To == ProjectStatus.Completed ? NotificationKinds.ProjectCompleted : NotificationKinds.ProjectFailed;
        context.Notify(kind, project.ChallengeId, project.ChallengeTitle, reason, Audience.MembersOf(project.VendorId), Audience.MembersOf(project.EnterpriseId), Audience.Officers);

        var outcome = ProjectWorkflow.OutcomeOf(await projects.ProjectStatusesAsync(context.Work, project.ChallengeId, cancellationToken));
        if (outcome == ChallengeOutcome.StillRunning)
        {
            return true;
        }

        var challenge = await challenges.LoadStateAsync(context.Work, project.ChallengeId, cancellationToken);
        var transition = outcome == ChallengeOutcome.Completed ? ChallengeWorkflow.Complete(challenge!.Status) : ChallengeWorkflow.Fail(challenge!.Status, reason);
        if (!transition.IsSuccess || !await challenges.ApplyAsync(context.Work, project.ChallengeId, transition.Value!, context.Now, cancellationToken))
        {
            return false;
        }

        context.Audit(project.ChallengeId, transition.Value!);
        return true;
    }
}
