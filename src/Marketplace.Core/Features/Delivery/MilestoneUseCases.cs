using Marketplace.Core.Application;
using Marketplace.Core.Common;
using Marketplace.Core.Delivery;
using Marketplace.Core.Notifications;

namespace Marketplace.Core.Features.Delivery;

/// <summary>A request about one milestone.</summary>
public interface IMilestoneRequest
{
    long MilestoneId { get; }
}

/// <summary>A milestone and its project, read inside the transaction.</summary>
public record MilestoneWork(ProjectState Project, MilestoneState Milestone) : ProjectWork(Project);

/// <summary>A use case on a milestone: its project is found from it, and a milestone the actor may not see is "no milestone".</summary>
public abstract class MilestoneUseCase<TRequest, TState, TDecision, TResult>(IProjectStore projects, IMilestoneStore milestones)
    : DeliveryUseCase<TRequest, TState, TDecision, TResult>(projects)
    where TRequest : IMilestoneRequest
    where TState : MilestoneWork
{
    protected IMilestoneStore Milestones => milestones;

    protected override Task<long?> ProjectIdAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken) =>
        Projects.ProjectOfMilestoneAsync(context.Work, request.MilestoneId, cancellationToken);

    protected override Error NotFound(TRequest request) => Error.NotFound($"There is no milestone {request.MilestoneId}.");
}

public sealed record SubmitEvidenceRequest(long MilestoneId, string? Body, IReadOnlyList<string>? Links) : IMilestoneRequest
{
    /// <summary>The links given, blank lines dropped and trimmed.</summary>
    public IReadOnlyList<string> CleanLinks => (Links ?? []).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).ToList();
}

public sealed record EvidenceSubmitted(long ProjectId, long MilestoneId, long EvidenceId, string Status);

/// <summary>The vendor submits evidence (text and links) for a pending or rejected milestone; the enterprise is notified.</summary>
public sealed class SubmitEvidence(IProjectStore projects, IMilestoneStore milestones)
    : MilestoneUseCase<SubmitEvidenceRequest, MilestoneWork, DeliveryMove, EvidenceSubmitted>(projects, milestones)
{
    protected override ProjectPart Part => ProjectPart.Vendor;

    protected override async Task<MilestoneWork?> LoadAsync(UseCaseContext context, SubmitEvidenceRequest request, ProjectState project, CancellationToken cancellationToken) =>
        new(project, (await Milestones.LoadMilestoneAsync(context.Work, request.MilestoneId, cancellationToken))!);

    protected override Result<DeliveryMove> Decide(UseCaseContext context, SubmitEvidenceRequest request, MilestoneWork state) =>
        MilestoneWorkflow.SubmitEvidence(state.Project.Status, state.Milestone.Status, request.Body, request.CleanLinks);

    protected override async Task<Result<EvidenceSubmitted>> ApplyAsync(UseCaseContext context, SubmitEvidenceRequest request, MilestoneWork state, DeliveryMove move,
        CancellationToken cancellationToken)
    {
        var (project, milestone) = (state.Project, state.Milestone);
        if (!await Milestones.MoveMilestoneAsync(context.Work, milestone.Id, move, context.Now, cancellationToken))
        {
            return Error.Conflict("The milestone changed meanwhile; reload the project and try again.");
        }

        var evidenceId = await Milestones.InsertEvidenceAsync(context.Work, milestone.Id, request.Body!, request.CleanLinks, context.Person.UserId, context.Now, cancellationToken);
        Audit(context, project, move, milestone.Reference());
        Notify(context, project, NotificationKinds.EvidenceSubmitted, milestone.Reference(), EnterpriseOf(project));
        return new EvidenceSubmitted(project.Id, milestone.Id, evidenceId, move.To);
    }
}

/// <summary>The enterprise's sign-off of a milestone's latest evidence: accept (noting the acceptance targets met) or reject (with a reason).</summary>
public sealed record DecideMilestoneRequest(long MilestoneId, bool Accept, string? Text, IReadOnlyList<int>? TargetsMet) : IMilestoneRequest
{
    public static DecideMilestoneRequest Accepting(long milestoneId, string? note, IReadOnlyList<int>? targetsMet) => new(milestoneId, true, note, targetsMet);

    public static DecideMilestoneRequest Rejecting(long milestoneId, string? reason) => new(milestoneId, false, reason, []);
}

/// <summary>A milestone, its project, how many acceptance targets the challenge has, and the evidence awaiting a decision.</summary>
public sealed record SignOffWork(ProjectState Project, MilestoneState Milestone, int TargetCount, long? LatestEvidenceId) : MilestoneWork(Project, Milestone);

/// <summary>
/// The enterprise accepts (recording the release of the payment share) or rejects (with a reason) the latest evidence
/// of a milestone. The last acceptance completes the project, and perhaps the challenge, in the same transaction.
/// </summary>
public sealed class DecideMilestone(IProjectStore projects, IMilestoneStore milestones, ProjectEnding ending)
    : MilestoneUseCase<DecideMilestoneRequest, SignOffWork, DeliveryMove, DeliveryTransition>(projects, milestones)
{
    protected override ProjectPart Part => ProjectPart.Enterprise;

    protected override async Task<SignOffWork?> LoadAsync(UseCaseContext context, DecideMilestoneRequest request, ProjectState project, CancellationToken cancellationToken) =>
        new(project,
            (await Milestones.LoadMilestoneAsync(context.Work, request.MilestoneId, cancellationToken))!,
            await Milestones.AcceptanceTargetCountAsync(context.Work, project.ChallengeId, cancellationToken),
            await Milestones.LatestEvidenceIdAsync(context.Work, request.MilestoneId, cancellationToken));

    protected override Result<DeliveryMove> Decide(UseCaseContext context, DecideMilestoneRequest request, SignOffWork state) =>
        request.Accept
            ? MilestoneWorkflow.Accept(state.Project.Status, state.Milestone.Status, request.Text, request.TargetsMet ?? [], state.TargetCount)
            : MilestoneWorkflow.Reject(state.Project.Status, state.Milestone.Status, request.Text);

    protected override async Task<Result<DeliveryTransition>> ApplyAsync(UseCaseContext context, DecideMilestoneRequest request, SignOffWork state, DeliveryMove move,
        CancellationToken cancellationToken)
    {
        var (project, milestone) = (state.Project, state.Milestone);
        if (state.LatestEvidenceId is not { } evidenceId || !await Milestones.MoveMilestoneAsync(context.Work, milestone.Id, move, context.Now, cancellationToken))
        {
            return Error.Conflict("The milestone changed meanwhile; reload the project and try again.");
        }

        var reference = milestone.Reference(move.Reason);
        await Milestones.InsertDecisionAsync(context.Work, milestone.Id, evidenceId, request.Accept ? "accepted" : "rejected", move.Reason, request.TargetsMet ?? [],
            context.Person.UserId, context.Now, cancellationToken);
        Audit(context, project, move, reference);
        if (!request.Accept)
        {
            Notify(context, project, NotificationKinds.MilestoneRejected, reference, VendorOf(project));
            return new DeliveryTransition(milestone.Id, move.To, project.Id, project.Status);
        }

        await Milestones.InsertPaymentAsync(context.Work, milestone, project.Currency, context.Person.UserId, context.Now, cancellationToken);
        Notify(context, project, NotificationKinds.MilestoneAccepted, milestone.Reference(), VendorOf(project), Audience.Officers);
        var statuses = (await Milestones.MilestonesAsync(context.Work, project.Id, cancellationToken)).Select(m => m.Status).ToList();
        if (ProjectWorkflow.CompletionAfter(project.Status, statuses) is not { } completion)
        {
            return new DeliveryTransition(milestone.Id, move.To, project.Id, project.Status);
        }

        return await ending.EndAsync(context, project, completion, null, cancellationToken)
            ? new DeliveryTransition(milestone.Id, move.To, project.Id, completion.To)
            : Error.Conflict("The project changed meanwhile; reload it and try again.");
    }
}
