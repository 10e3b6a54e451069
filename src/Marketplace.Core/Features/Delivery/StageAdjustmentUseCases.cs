using Marketplace.Core.Application;
using Marketplace.Core.Common;
using Marketplace.Core.Delivery;
using Marketplace.Core.Notifications;

namespace Marketplace.Core.Features.Delivery;

public sealed record RequestAdjustmentRequest(long ProjectId, IReadOnlyList<MilestoneChange>? Changes, string? Reason) : IProjectRequest;

public sealed record AdjustmentRequested(long ProjectId, long AdjustmentId, string Status);

/// <summary>The project's milestones and whether a request is open already.</summary>
public sealed record AdjustmentRequestWork(ProjectState Project, IReadOnlyList<MilestoneState> Milestones, bool HasOpenRequest) : ProjectWork(Project);

/// <summary>Either party asks for new due dates and/or scope; officers and the other party are notified.</summary>
public sealed class RequestAdjustment(IProjectStore projects, IMilestoneStore milestones, IStageAdjustmentStore adjustments)
    : ProjectUseCase<RequestAdjustmentRequest, AdjustmentRequestWork, IReadOnlyList<AdjustmentItem>, AdjustmentRequested>(projects)
{
    protected override ProjectPart Part => ProjectPart.Party;

    protected override async Task<AdjustmentRequestWork?> LoadAsync(UseCaseContext context, RequestAdjustmentRequest request, ProjectState project, CancellationToken cancellationToken) =>
        new(project,
            await milestones.MilestonesAsync(context.Work, project.Id, cancellationToken),
            await adjustments.HasOpenAdjustmentAsync(context.Work, project.Id, cancellationToken));

    protected override Result<IReadOnlyList<AdjustmentItem>> Decide(UseCaseContext context, RequestAdjustmentRequest request, AdjustmentRequestWork state) =>
        StageAdjustmentRules.Request(state.Project.Status, state.HasOpenRequest, state.Milestones.Select(m => m.ToAdjustable()).ToList(), request.Changes ?? [], request.Reason,
            DateOnly.FromDateTime(context.Now.UtcDateTime));

    protected override async Task<Result<AdjustmentRequested>> ApplyAsync(UseCaseContext context, RequestAdjustmentRequest request, AdjustmentRequestWork state,
        IReadOnlyList<AdjustmentItem> items, CancellationToken cancellationToken)
    {
        var project = state.Project;
        var reason = request.Reason!.Trim();
        var vendorSide = ProjectPolicy.IsVendorParty(context.Person, project);
        var id = await adjustments.InsertAdjustmentAsync(context.Work, project.Id, reason, vendorSide ? DeliverySide.Vendor : DeliverySide.Enterprise, items,
            context.Person.UserId, context.Now, cancellationToken);
        Audit(context, project, new DeliveryMove(DeliveryActions.AdjustmentRequested, project.Status, project.Status), reason);
        Notify(context, project, NotificationKinds.AdjustmentRequested, reason, vendorSide ? EnterpriseOf(project) : VendorOf(project), Audience.Officers);
        return new AdjustmentRequested(project.Id, id, AdjustmentStatus.Open);
    }
}

/// <summary>An officer's decision on a stage adjustment: approve, or decline with a note.</summary>
public sealed record DecideAdjustmentRequest(long AdjustmentId, bool Approve, string? Note);

/// <summary>The adjustment, its items and the milestones they name, with the project.</summary>
public sealed record AdjustmentDecisionWork(ProjectState Project, AdjustmentState Adjustment, IReadOnlyList<AdjustmentItem> Items, IReadOnlyList<AdjustableMilestone> Named)
    : ProjectWork(Project);

/// <summary>An officer approves (the changes apply; the old values stay in the request) or declines (with a note) a stage adjustment.</summary>
public sealed class DecideAdjustment(IProjectStore projects, IMilestoneStore milestones, IStageAdjustmentStore adjustments)
    : DeliveryUseCase<DecideAdjustmentRequest, AdjustmentDecisionWork, DeliveryMove, DeliveryTransition>(projects)
{
    protected override ProjectPart Part => ProjectPart.Officer;

    protected override Task<long?> ProjectIdAsync(UseCaseContext context, DecideAdjustmentRequest request, CancellationToken cancellationToken) =>
        Projects.ProjectOfAdjustmentAsync(context.Work, request.AdjustmentId, cancellationToken);

    protected override Error NotFound(DecideAdjustmentRequest request) => Error.NotFound($"There is no stage adjustment {request.AdjustmentId}.");

    protected override async Task<AdjustmentDecisionWork?> LoadAsync(UseCaseContext context, DecideAdjustmentRequest request, ProjectState project, CancellationToken cancellationToken)
    {
        var adjustment = (await adjustments.LoadAdjustmentAsync(context.Work, request.AdjustmentId, cancellationToken))!;
        var items = await adjustments.AdjustmentItemsAsync(context.Work, adjustment.Id, cancellationToken);
        var named = (await milestones.MilestonesAsync(context.Work, project.Id, cancellationToken))
            .Where(m => items.Any(i => i.MilestoneId == m.Id)).Select(m => m.ToAdjustable()).ToList();
        return new AdjustmentDecisionWork(project, adjustment, items, named);
    }

    protected override Result<DeliveryMove> Decide(UseCaseContext context, DecideAdjustmentRequest request, AdjustmentDecisionWork state) =>
        request.Approve
            ? StageAdjustmentRules.Approve(state.Adjustment.Status, state.Project.Status, state.Named, request.Note)
            : StageAdjustmentRules.Decline(state.Adjustment.Status, state.Project.Status, request.Note);

    protected override async Task<Result<DeliveryTransition>> ApplyAsync(UseCaseContext context, DecideAdjustmentRequest request, AdjustmentDecisionWork state, DeliveryMove move,
        CancellationToken cancellationToken)
    {
        var project = state.Project;
        if (!await adjustments.DecideAdjustmentAsync(context.Work, state.Adjustment.Id, move, context.Person.UserId, context.Now, cancellationToken))
        {
            return Error.Conflict("This stage adjustment was decided meanwhile.");
        }

        if (request.Approve)
        {
            foreach (var item in state.Items)
            {
                if (!await adjustments.ApplyAdjustmentItemAsync(context.Work, item, context.Now, cancellationToken))
                {
                    return Error.Conflict("A milestone of the request was accepted meanwhile; decline the request instead.");
                }
            }
        }

        Audit(context, project, move with { From = project.Status, To = project.Status }, move.Reason);
        Notify(context, project, request.Approve ? NotificationKinds.AdjustmentApproved : NotificationKinds.AdjustmentDeclined, move.Reason, VendorOf(project), EnterpriseOf(project));
        return new DeliveryTransition(state.Adjustment.Id, move.To, project.Id, project.Status);
    }
}
