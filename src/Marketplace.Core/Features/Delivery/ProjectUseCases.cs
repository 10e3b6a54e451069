using System.Text;
using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Delivery;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Notifications;
using Marketplace.Core.Proposals;
using Marketplace.Core.Vendors;

namespace Marketplace.Core.Features.Delivery;

public sealed record StartDeliveryRequest(long ChallengeId, string? Note);

public sealed record DeliveryStarted(long ChallengeId, IReadOnlyList<long> ProjectIds);

/// <summary>The awarded challenge and its winners, read inside the transaction.</summary>
public sealed record DeliveryCandidate(ChallengeState Challenge, IReadOnlyList<WinningVersion> Winners);

/// <summary>The move and, per winner, the milestones of its winning version.</summary>
public sealed record DeliveryStart(ChallengeTransition Transition, IReadOnlyList<(WinningVersion Winner, IReadOnlyList<PlannedMilestone> Milestones)> Plans);

/// <summary>
/// The contract is signed: the enterprise (or an officer) starts delivery of an awarded challenge. One project per
/// winner, with the winning version's milestones and payment amounts; Awarded → InDelivery, audited; the vendors and
/// the enterprise are notified.
/// </summary>
public sealed class StartDelivery(IChallengeLifecycleStore challenges, IProjectStore projects) : UseCase<StartDeliveryRequest, DeliveryCandidate, DeliveryStart, DeliveryStarted>
{
    protected override async Task<DeliveryCandidate?> LoadAsync(UseCaseContext context, StartDeliveryRequest request, CancellationToken cancellationToken)
    {
        var challenge = await challenges.LoadStateAsync(context.Work, request.ChallengeId, cancellationToken);
        return challenge is null ? null : new DeliveryCandidate(challenge, await projects.WinnersAsync(context.Work, challenge.Id, cancellationToken));
    }

    protected override Error? Authorise(UseCaseContext context, StartDeliveryRequest request, DeliveryCandidate? candidate) =>
        ProjectPolicy.AsStarter(context.Actor, candidate?.Challenge, request.ChallengeId);

    protected override Result<DeliveryStart> Decide(UseCaseContext context, StartDeliveryRequest request, DeliveryCandidate candidate)
    {
        if (request.Note is { Length: > ChallengeWorkflow.MaxReasonLength })
        {
            return Error.Invalid("note", $"The note must be at most {ChallengeWorkflow.MaxReasonLength} characters.");
        }

        var plans = new List<(WinningVersion, IReadOnlyList<PlannedMilestone>)>();
        foreach (var winner in candidate.Winners)
        {
            var plan = DeliveryPlan.FromProposal(ProposalSeal.Deserialize(winner.TechnicalContent), winner.PriceAmount);
            if (!plan.IsSuccess)
            {
                return plan.Error!;
            }

            plans.Add((winner, plan.Value!));
        }

        var move = ChallengeWorkflow.StartDelivery(candidate.Challenge.Status);
        if (!move.IsSuccess)
        {
            return move.Error!;
        }

        if (plans.Count == 0)
        {
            return Error.Conflict("This challenge has no winners to deliver.");
        }

        var transition = string.IsNullOrWhiteSpace(request.Note) ? move.Value! : move.Value! with { Reason = request.Note.Trim() };
        return new DeliveryStart(transition, plans);
    }

    protected override async Task<Result<DeliveryStarted>> ApplyAsync(UseCaseContext context, StartDeliveryRequest request, DeliveryCandidate candidate, DeliveryStart start,
        CancellationToken cancellationToken)
    {
        var challenge = candidate.Challenge;
        if (!await challenges.ApplyAsync(context.Work, challenge.Id, start.Transition, context.Now, cancellationToken))
        {
            return Error.Conflict("The challenge changed state meanwhile; reload it and try again.");
        }

        context.Audit(challenge.Id, start.Transition);
        var projectIds = new List<long>();
        foreach (var (winner, milestones) in start.Plans)
        {
            var projectId = await projects.InsertProjectAsync(context.Work, challenge.Id, challenge.EnterpriseId, winner, context.Person.UserId, context.Now, cancellationToken);
            foreach (var milestone in milestones)
            {
                await projects.InsertMilestoneAsync(context.Work, projectId, milestone, context.Now, cancellationToken);
            }

            projectIds.Add(projectId);
        }

        context.Notify(NotificationKinds.DeliveryStarted, challenge.Id, challenge.Title, null,
            [Audience.EnterpriseOf(challenge.Id), .. start.Plans.Select(p => Audience.MembersOf(p.Winner.VendorId))]);
        return new DeliveryStarted(challenge.Id, projectIds);
    }
}

public sealed record FileFailureRequest(long ProjectId, string? Category, string? Cause, string? Lessons) : IProjectRequest;

/// <summary>
/// An officer files an active project as failed (失败备案): cause category, cause and lessons learned. The project
/// closes as Failed without penalty; when it was the last running project the challenge completes or fails.
/// </summary>
public sealed class FileFailure(IProjectStore projects, ProjectEnding ending) : ProjectUseCase<FileFailureRequest, ProjectWork, DeliveryMove, DeliveryTransition>(projects)
{
    protected override ProjectPart Part => ProjectPart.Officer;

    protected override Task<ProjectWork?> LoadAsync(UseCaseContext context, FileFailureRequest request, ProjectState project, CancellationToken cancellationToken) =>
        Task.FromResult<ProjectWork?>(new ProjectWork(project));

    protected override Result<DeliveryMove> Decide(UseCaseContext context, FileFailureRequest request, ProjectWork state) =>
        ProjectWorkflow.FileFailure(state.Project.Status, request.Category, request.Cause, request.Lessons);

    protected override async Task<Result<DeliveryTransition>> ApplyAsync(UseCaseContext context, FileFailureRequest request, ProjectWork state, DeliveryMove move,
        CancellationToken cancellationToken)
    {
        var project = state.Project;
        await Projects.InsertFailureAsync(context.Work, project.Id, request.Category!, request.Cause!, request.Lessons!, context.Person.UserId, context.Now, cancellationToken);
        return await ending.EndAsync(context, project, move, move.Reason, cancellationToken)
            ? new DeliveryTransition(project.Id, move.To, project.Id, move.To)
            : Error.Conflict("The project changed meanwhile; reload it and try again.");
    }
}

/// <summary>The enterprise's answer: <see cref="Grant"/> null when no answer was chosen (refused after authorisation, so
/// someone who may not answer learns that first, and a missing answer is never read as a decline, which is final).</summary>
public sealed record PortfolioConsentRequest(long ProjectId, bool? Grant, bool NameClient) : IProjectRequest;

public sealed record PortfolioConsentRecorded(long ProjectId, string Decision, long? PortfolioCaseId);

/// <summary>The project and whether its enterprise has answered already.</summary>
public sealed record ConsentWork(ProjectState Project, bool Answered) : ProjectWork(Project);

/// <summary>
/// After completion the enterprise grants or declines consent to publish the project as a portfolio case of the
/// vendor. On consent the case is written (client named only when the enterprise agreed) with the challenge's tags,
/// and the vendor's change stamp moves so the matcher re-indexes it. Either answer is recorded once.
/// </summary>
public sealed class RecordPortfolioConsent(IProjectStore projects, IMilestoneStore milestones, IPortfolioConsentStore consents)
    : ProjectUseCase<PortfolioConsentRequest, ConsentWork, string, PortfolioConsentRecorded>(projects)
{
    protected override ProjectPart Part => ProjectPart.Enterprise;

    protected override async Task<ConsentWork?> LoadAsync(UseCaseContext context, PortfolioConsentRequest request, ProjectState project, CancellationToken cancellationToken) =>
        new(project, await consents.HasConsentAsync(context.Work, project.Id, cancellationToken));

    protected override Result<string> Decide(UseCaseContext context, PortfolioConsentRequest request, ConsentWork state)
    {
        if (state.Project.Status != ProjectStatus.Completed)
        {
            return Error.Conflict("Only a completed project can be published as a portfolio case.");
        }

        if (state.Answered)
        {
            return Error.Conflict("The enterprise has answered already for this project.");
        }

        if (request.Grant is not { } grant)
        {
            return Error.Invalid("decision", "Use one of the form's buttons.");
        }

        return grant ? ConsentDecision.Granted : ConsentDecision.Declined;
    }

    protected override async Task<Result<PortfolioConsentRecorded>> ApplyAsync(UseCaseContext context, PortfolioConsentRequest request, ConsentWork state, string decision,
        CancellationToken cancellationToken)
    {
        var project = state.Project;
        long? caseId = null;
        if (request.Grant == true)
        {
            var source = await consents.CaseSourceAsync(context.Work, project.ChallengeId, cancellationToken);
            var body = new StringBuilder(source.Scenario.Trim()).Append("\n\n");
            foreach (var milestone in await milestones.MilestonesAsync(context.Work, project.Id, cancellationToken))
            {
                body.Append("• ").Append(milestone.Name).Append(": ").Append(milestone.Deliverable).Append('\n');
            }

            var portfolioCase = new NewPortfolioCase(project.VendorId, source.Title, request.NameClient ? source.EnterpriseName : null, source.Industry, context.Now.UtcDateTime.Year,
                body.ToString().TrimEnd(), source.ExpectedOutcome, null);
            caseId = await consents.AddCaseAsync(context.Work, portfolioCase, await consents.ChallengeTagsAsync(context.Work, project.ChallengeId, cancellationToken), cancellationToken);
            await consents.TouchVendorAsync(context.Work, project.VendorId, context.Now, cancellationToken);
            context.After(FollowUp.Rematch("vendor profile changed"));
        }

        var clientNamed = request.Grant == true && request.NameClient;
        await consents.InsertConsentAsync(context.Work, project.Id, decision, clientNamed, caseId, context.Person.UserId, context.Now, cancellationToken);
        var action = request.Grant == true ? DeliveryActions.PortfolioConsentGranted : DeliveryActions.PortfolioConsentDeclined;
        Audit(context, project, new DeliveryMove(action, project.Status, project.Status), clientNamed ? "client named" : null);
        return new PortfolioConsentRecorded(project.Id, decision, caseId);
    }
}
