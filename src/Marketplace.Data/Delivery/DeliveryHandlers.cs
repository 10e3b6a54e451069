using System.Data.Common;
using System.Text;
using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Delivery;
using Marketplace.Core.Notifications;
using Marketplace.Core.Proposals;
using Marketplace.Data.Audit;
using Marketplace.Data.Challenges;
using Marketplace.Data.Notifications;
using Marketplace.Data.Vendors;

namespace Marketplace.Data.Delivery;

/// <summary>
/// Who may see and act on a delivery project, in one place: its two parties (the enterprise's members with the
/// Enterprise role, the vendor's members with the Vendor role) and programme officers. Anyone else gets NotFound
/// (no hint that it exists); a party acting outside its part gets Forbidden.
/// </summary>
public static class DeliveryAccess
{
    public static bool IsOfficer(Actor actor) => actor.Roles.Contains(Roles.Officer);

    public static bool IsVendorParty(ProjectState project, Actor actor) => actor.IsVendor && actor.BelongsTo(project.VendorId);

    public static bool IsEnterpriseParty(ProjectState project, Actor actor) => actor.IsEnterprise && actor.BelongsTo(project.EnterpriseId);

    public static bool MaySee(ProjectState? project, Actor? actor) =>
        project is not null && actor is not null && (IsOfficer(actor) || IsVendorParty(project, actor) || IsEnterpriseParty(project, actor));

    public static Error? AsViewer(ProjectState? project, Actor actor, long id) => MaySee(project, actor) ? null : NotFound(id);

    public static Error? AsVendor(ProjectState? project, Actor actor, long id) =>
        !MaySee(project, actor) ? NotFound(id) : IsVendorParty(project!, actor) ? null : Error.Forbidden("Only the vendor delivering this project submits evidence.");

    public static Error? AsEnterprise(ProjectState? project, Actor actor, long id) =>
        !MaySee(project, actor) ? NotFound(id) : IsEnterpriseParty(project!, actor) ? null : Error.Forbidden("Only the enterprise that posted the challenge signs off this project.");

    public static Error? AsParty(ProjectState? project, Actor actor, long id) =>
        !MaySee(project, actor) ? NotFound(id)
        : IsVendorParty(project!, actor) || IsEnterpriseParty(project!, actor) ? null
        : Error.Forbidden("Only the enterprise or the vendor of this project may ask for a stage adjustment; the programme office decides it.");

    public static Error? AsOfficer(ProjectState? project, Actor actor, long id) =>
        !MaySee(project, actor) ? NotFound(id) : IsOfficer(actor) ? null : Error.Forbidden("Only the programme office does this.");

    public static Error NotFound(long id) => Error.NotFound($"There is no delivery project {id}.");
}

/// <summary>
/// The shared steps of every delivery change: open a transaction, load the project, authorise, do the work (which
/// writes its rows, audit entries and notifications on the same transaction), commit on success; any refusal rolls
/// back and changes nothing.
/// </summary>
public sealed class DeliveryRunner(DeliveryStore store, ChallengeLifecycleStore challenges, AuditLog audit, NotificationStore notifications, TimeProvider clock)
{
    public DeliveryStore Store => store;

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task<Result<T>> RunAsync<T>(long projectId, Func<ProjectState?, Error?> authorise,
        Func<DbConnection, DbTransaction, ProjectState, DateTimeOffset, Task<Result<T>>> work, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await store.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var project = await store.LoadProjectAsync(connection, transaction, projectId, cancellationToken);
        if (authorise(project) is { } denied)
        {
            return denied;
        }

        var result = await work(connection, transaction, project!, now);
        if (result.IsSuccess)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken);
        }

        return result;
    }

    public Task AuditAsync(DbConnection connection, DbTransaction transaction, ProjectState project, long actorUserId, DeliveryMove move, string? reason, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        audit.AppendAsync(connection, transaction, project.ChallengeId, actorUserId, move.Action, move.From, move.To, reason, now, cancellationToken);

    public async Task NotifyAsync(DbConnection connection, DbTransaction transaction, ProjectState project, string kind, string? reason, DateTimeOffset now, CancellationToken cancellationToken,
        bool vendor = false, bool enterprise = false, bool officers = false)
    {
        var recipients = new List<Recipient>();
        if (vendor)
        {
            recipients.AddRange(await NotificationStore.OrganisationMembersAsync(connection, transaction, project.VendorId, cancellationToken));
        }

        if (enterprise)
        {
            recipients.AddRange(await NotificationStore.OrganisationMembersAsync(connection, transaction, project.EnterpriseId, cancellationToken));
        }

        if (officers)
        {
            recipients.AddRange(await NotificationStore.OfficersAsync(connection, transaction, cancellationToken));
        }

        await notifications.AddAsync(connection, transaction, recipients, kind, project.ChallengeId, project.ChallengeTitle, reason, now, cancellationToken);
    }

    /// <summary>
    /// Ends a project (completed or failed), audits and notifies both parties and the officers, then, when every
    /// project of the challenge has ended, moves the challenge to Completed (one project completed) or Failed (the
    /// cause of the last filing as the reason), audited — all on the caller's transaction.
    /// </summary>
    public async Task<bool> EndProjectAsync(DbConnection connection, DbTransaction transaction, ProjectState project, DeliveryMove move, long actorUserId, string? reason,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await store.MoveProjectAsync(connection, transaction, project.Id, move, now, cancellationToken))
        {
            return false;
        }

        await AuditAsync(connection, transaction, project, actorUserId, move, reason, now, cancellationToken);
        var kind = move.To == ProjectStatus.Completed ? NotificationKinds.ProjectCompleted : NotificationKinds.ProjectFailed;
        await NotifyAsync(connection, transaction, project, kind, reason, now, cancellationToken, vendor: true, enterprise: true, officers: true);

        var outcome = ProjectWorkflow.OutcomeOf(await store.ProjectStatusesAsync(connection, transaction, project.ChallengeId, cancellationToken));
        if (outcome == ChallengeOutcome.StillRunning)
        {
            return true;
        }

        var state = await challenges.LoadStateAsync(connection, transaction, project.ChallengeId, cancellationToken);
        var transition = outcome == ChallengeOutcome.Completed ? ChallengeWorkflow.Complete(state!.Status) : ChallengeWorkflow.Fail(state!.Status, reason);
        if (!transition.IsSuccess || !await challenges.ApplyAsync(connection, transaction, project.ChallengeId, transition.Value!, now, cancellationToken))
        {
            return false;
        }

        await audit.AppendAsync(connection, transaction, project.ChallengeId, actorUserId, transition.Value!, now, cancellationToken);
        return true;
    }

    public static string MilestoneRef(MilestoneState milestone, string? detail = null) =>
        string.IsNullOrWhiteSpace(detail) ? $"{milestone.Position}. {milestone.Name}" : $"{milestone.Position}. {milestone.Name} — {detail}";
}

public sealed record DeliveryStarted(long ChallengeId, IReadOnlyList<long> ProjectIds);

/// <summary>
/// The contract is signed: the enterprise (or an officer) starts delivery of an awarded challenge. One project per
/// winner, with the winning version's milestones and payment amounts; Awarded → InDelivery, audited; the vendor and
/// the enterprise are notified.
/// </summary>
public sealed class StartDeliveryHandler(ChallengeLifecycleStore lifecycle, AuditLog audit, DeliveryStore store, NotificationStore notifications, TimeProvider clock)
{
    public async Task<Result<DeliveryStarted>> HandleAsync(Actor actor, long challengeId, string? note, CancellationToken cancellationToken)
    {
        if (note is { Length: > ChallengeWorkflow.MaxReasonLength })
        {
            return Error.Invalid("note", $"The note must be at most {ChallengeWorkflow.MaxReasonLength} characters.");
        }

        IReadOnlyList<WinningVersion> winners;
        await using (var reading = await store.Connections.OpenAsync(cancellationToken))
        {
            winners = await store.WinnersAsync(reading, null, challengeId, cancellationToken);
        }

        var plans = new List<(WinningVersion Winner, IReadOnlyList<PlannedMilestone> Milestones)>();
        foreach (var winner in winners)
        {
            var plan = DeliveryPlan.FromProposal(ProposalSeal.Deserialize(winner.TechnicalContent), winner.PriceAmount);
            if (!plan.IsSuccess)
            {
                return plan.Error!;
            }

            plans.Add((winner, plan.Value!));
        }

        var projectIds = new List<long>();
        var now = clock.GetUtcNow();
        await using var connection = await store.Connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await lifecycle.LoadStateAsync(connection, transaction, challengeId, cancellationToken);
        if (Authorise(state, actor, challengeId) is { } denied)
        {
            return denied;
        }

        var move = ChallengeWorkflow.StartDelivery(state!.Status);
        if (move.IsSuccess && plans.Count == 0)
        {
            return Error.Conflict("This challenge has no winners to deliver.");
        }

        if (!move.IsSuccess)
        {
            return move.Error!;
        }

        var transition = string.IsNullOrWhiteSpace(note) ? move.Value! : move.Value! with { Reason = note.Trim() };
        if (!await lifecycle.ApplyAsync(connection, transaction, challengeId, transition, now, cancellationToken))
        {
            return Error.Conflict("The challenge changed state meanwhile; reload it and try again.");
        }

        await audit.AppendAsync(connection, transaction, challengeId, actor.UserId, transition, now, cancellationToken);
        var recipients = new List<Recipient>(await NotificationStore.EnterpriseMembersAsync(connection, transaction, challengeId, cancellationToken));
        foreach (var (winner, milestones) in plans)
        {
            var projectId = await store.InsertProjectAsync(connection, transaction, challengeId, state.EnterpriseId, winner, actor.UserId, now, cancellationToken);
            foreach (var milestone in milestones)
            {
                await store.InsertMilestoneAsync(connection, transaction, projectId, milestone, now, cancellationToken);
            }

            projectIds.Add(projectId);
            recipients.AddRange(await NotificationStore.OrganisationMembersAsync(connection, transaction, winner.VendorId, cancellationToken));
        }

        await notifications.AddAsync(connection, transaction, recipients, NotificationKinds.DeliveryStarted, challengeId, state.Title, null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new DeliveryStarted(challengeId, projectIds);
    }

    private static Error? Authorise(ChallengeState? state, Actor actor, long id)
    {
        if (state is not null && DeliveryAccess.IsOfficer(actor))
        {
            return null;
        }

        return state is not null && actor.IsProgrammeStaff
            ? Error.Forbidden("Only a programme officer or the enterprise that posted the challenge starts delivery.")
            : ChallengePolicy.AsOwner(actor, state, id);
    }
}

/// <summary>The vendor submits evidence (text and links) for a pending or rejected milestone; the enterprise is notified.</summary>
public sealed class SubmitEvidenceHandler(DeliveryRunner runner)
{
    public async Task<Result<long>> HandleAsync(Actor actor, long milestoneId, string? body, IReadOnlyList<string>? links, CancellationToken cancellationToken)
    {
        var projectId = await runner.Store.ProjectOfMilestoneAsync(milestoneId, cancellationToken);
        if (projectId is null)
        {
            return Error.NotFound($"There is no milestone {milestoneId}.");
        }

        var cleanLinks = (links ?? []).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()).ToList();
        return await runner.RunAsync<long>(projectId.Value,
            project => DeliveryAccess.AsVendor(project, actor, projectId.Value) is { Kind: ErrorKind.NotFound } ? Error.NotFound($"There is no milestone {milestoneId}.") : DeliveryAccess.AsVendor(project, actor, projectId.Value),
            async (connection, transaction, project, now) =>
            {
                var milestone = (await runner.Store.LoadMilestoneAsync(connection, transaction, milestoneId, cancellationToken))!;
                var move = MilestoneWorkflow.SubmitEvidence(project.Status, milestone.Status, body, cleanLinks);
                if (!move.IsSuccess)
                {
                    return move.Error!;
                }

                if (!await runner.Store.MoveMilestoneAsync(connection, transaction, milestoneId, move.Value!, now, cancellationToken))
                {
                    return Error.Conflict("The milestone changed meanwhile; reload the project and try again.");
                }

                var evidenceId = await runner.Store.InsertEvidenceAsync(connection, transaction, milestoneId, body!, cleanLinks, actor.UserId, now, cancellationToken);
                await runner.AuditAsync(connection, transaction, project, actor.UserId, move.Value!, DeliveryRunner.MilestoneRef(milestone), now, cancellationToken);
                await runner.NotifyAsync(connection, transaction, project, NotificationKinds.EvidenceSubmitted, DeliveryRunner.MilestoneRef(milestone), now, cancellationToken, enterprise: true);
                return evidenceId;
            }, cancellationToken);
    }
}

public sealed record MilestoneDecided(long MilestoneId, string Status, bool ProjectCompleted);

/// <summary>
/// The enterprise accepts (recording the release of the payment share) or rejects (with a reason) the latest
/// evidence of a milestone. The last acceptance completes the project in the same transaction.
/// </summary>
public sealed class DecideMilestoneHandler(DeliveryRunner runner)
{
    public async Task<Result<MilestoneDecided>> AcceptAsync(Actor actor, long milestoneId, string? note, IReadOnlyList<int>? targetsMet, CancellationToken cancellationToken) =>
        await DecideAsync(actor, milestoneId, true, note, targetsMet ?? [], cancellationToken);

    public async Task<Result<MilestoneDecided>> RejectAsync(Actor actor, long milestoneId, string? reason, CancellationToken cancellationToken) =>
        await DecideAsync(actor, milestoneId, false, reason, [], cancellationToken);

    private async Task<Result<MilestoneDecided>> DecideAsync(Actor actor, long milestoneId, bool accept, string? text, IReadOnlyList<int> targetsMet, CancellationToken cancellationToken)
    {
        var projectId = await runner.Store.ProjectOfMilestoneAsync(milestoneId, cancellationToken);
        if (projectId is null)
        {
            return Error.NotFound($"There is no milestone {milestoneId}.");
        }

        return await runner.RunAsync<MilestoneDecided>(projectId.Value,
            project => DeliveryAccess.AsEnterprise(project, actor, projectId.Value) is { Kind: ErrorKind.NotFound } ? Error.NotFound($"There is no milestone {milestoneId}.") : DeliveryAccess.AsEnterprise(project, actor, projectId.Value),
            async (connection, transaction, project, now) =>
            {
                var milestone = (await runner.Store.LoadMilestoneAsync(connection, transaction, milestoneId, cancellationToken))!;
                var targetCount = await runner.Store.AcceptanceTargetCountAsync(connection, transaction, project.ChallengeId, cancellationToken);
                var move = accept
                    ? MilestoneWorkflow.Accept(project.Status, milestone.Status, text, targetsMet, targetCount)
                    : MilestoneWorkflow.Reject(project.Status, milestone.Status, text);
                if (!move.IsSuccess)
                {
                    return move.Error!;
                }

                var evidenceId = await runner.Store.LatestEvidenceIdAsync(connection, transaction, milestoneId, cancellationToken);
                if (evidenceId is null || !await runner.Store.MoveMilestoneAsync(connection, transaction, milestoneId, move.Value!, now, cancellationToken))
                {
                    return Error.Conflict("The milestone changed meanwhile; reload the project and try again.");
                }

                var reference = DeliveryRunner.MilestoneRef(milestone, move.Value!.Reason);
                await runner.Store.InsertDecisionAsync(connection, transaction, milestoneId, evidenceId.Value, accept ? "accepted" : "rejected", move.Value!.Reason, targetsMet, actor.UserId, now, cancellationToken);
                await runner.AuditAsync(connection, transaction, project, actor.UserId, move.Value!, reference, now, cancellationToken);
                if (!accept)
                {
                    await runner.NotifyAsync(connection, transaction, project, NotificationKinds.MilestoneRejected, reference, now, cancellationToken, vendor: true);
                    return new MilestoneDecided(milestoneId, move.Value!.To, false);
                }

                await runner.Store.InsertPaymentAsync(connection, transaction, milestone, project.Currency, actor.UserId, now, cancellationToken);
                await runner.NotifyAsync(connection, transaction, project, NotificationKinds.MilestoneAccepted, DeliveryRunner.MilestoneRef(milestone), now, cancellationToken, vendor: true, officers: true);
                var statuses = (await runner.Store.MilestonesAsync(connection, transaction, project.Id, cancellationToken)).Select(m => m.Status).ToList();
                if (ProjectWorkflow.CompletionAfter(project.Status, statuses) is { } completion)
                {
                    if (!await runner.EndProjectAsync(connection, transaction, project, completion, actor.UserId, null, now, cancellationToken))
                    {
                        return Error.Conflict("The project changed meanwhile; reload it and try again.");
                    }

                    return new MilestoneDecided(milestoneId, move.Value!.To, true);
                }

                return new MilestoneDecided(milestoneId, move.Value!.To, false);
            }, cancellationToken);
    }
}

/// <summary>Either party asks for new due dates and/or scope; officers and the other party are notified.</summary>
public sealed class RequestAdjustmentHandler(DeliveryRunner runner)
{
    public Task<Result<long>> HandleAsync(Actor actor, long projectId, IReadOnlyList<MilestoneChange> changes, string? reason, CancellationToken cancellationToken) =>
        runner.RunAsync<long>(projectId,
            project => DeliveryAccess.AsParty(project, actor, projectId),
            async (connection, transaction, project, now) =>
            {
                var milestones = await runner.Store.MilestonesAsync(connection, transaction, projectId, cancellationToken);
                var hasOpen = await runner.Store.HasOpenAdjustmentAsync(connection, transaction, projectId, cancellationToken);
                var items = StageAdjustmentRules.Request(project.Status, hasOpen, milestones.Select(m => m.ToAdjustable()).ToList(), changes, reason,
                    DateOnly.FromDateTime(now.UtcDateTime));
                if (!items.IsSuccess)
                {
                    return items.Error!;
                }

                var vendorSide = DeliveryAccess.IsVendorParty(project, actor);
                var id = await runner.Store.InsertAdjustmentAsync(connection, transaction, projectId, reason!, vendorSide ? DeliverySide.Vendor : DeliverySide.Enterprise,
                    items.Value!, actor.UserId, now, cancellationToken);
                var move = new DeliveryMove(DeliveryActions.AdjustmentRequested, "", AdjustmentStatus.Open, reason!.Trim());
                await runner.AuditAsync(connection, transaction, project, actor.UserId, move with { From = project.Status, To = project.Status }, reason.Trim(), now, cancellationToken);
                await runner.NotifyAsync(connection, transaction, project, NotificationKinds.AdjustmentRequested, reason.Trim(), now, cancellationToken,
                    vendor: !vendorSide, enterprise: vendorSide, officers: true);
                return id;
            }, cancellationToken);
}

/// <summary>An officer approves (the changes apply; the old values stay in the request) or declines (with a note) a stage adjustment.</summary>
public sealed class DecideAdjustmentHandler(DeliveryRunner runner)
{
    public async Task<Result<string>> HandleAsync(Actor actor, long adjustmentId, bool approve, string? note, CancellationToken cancellationToken)
    {
        long? projectId;
        await using (var connection = await runner.Store.Connections.OpenAsync(cancellationToken))
        await using (var lookup = await connection.BeginTransactionAsync(cancellationToken))
        {
            projectId = (await runner.Store.LoadAdjustmentAsync(connection, lookup, adjustmentId, cancellationToken))?.ProjectId;
        }

        if (projectId is null)
        {
            return Error.NotFound($"There is no stage adjustment {adjustmentId}.");
        }

        return await runner.RunAsync<string>(projectId.Value,
            project => DeliveryAccess.AsOfficer(project, actor, projectId.Value) is { Kind: ErrorKind.NotFound } ? Error.NotFound($"There is no stage adjustment {adjustmentId}.") : DeliveryAccess.AsOfficer(project, actor, projectId.Value),
            async (connection, transaction, project, now) =>
            {
                var adjustment = (await runner.Store.LoadAdjustmentAsync(connection, transaction, adjustmentId, cancellationToken))!;
                var items = await runner.Store.AdjustmentItemsAsync(connection, transaction, adjustmentId, cancellationToken);
                var milestones = await runner.Store.MilestonesAsync(connection, transaction, project.Id, cancellationToken);
                var named = milestones.Where(m => items.Any(i => i.MilestoneId == m.Id)).Select(m => m.ToAdjustable()).ToList();
                var move = approve
                    ? StageAdjustmentRules.Approve(adjustment.Status, project.Status, named, note)
                    : StageAdjustmentRules.Decline(adjustment.Status, project.Status, note);
                if (!move.IsSuccess)
                {
                    return move.Error!;
                }

                if (!await runner.Store.DecideAdjustmentAsync(connection, transaction, adjustmentId, move.Value!, actor.UserId, now, cancellationToken))
                {
                    return Error.Conflict("This stage adjustment was decided meanwhile.");
                }

                if (approve)
                {
                    foreach (var item in items)
                    {
                        if (!await runner.Store.ApplyAdjustmentItemAsync(connection, transaction, item, now, cancellationToken))
                        {
                            return Error.Conflict("A milestone of the request was accepted meanwhile; decline the request instead.");
                        }
                    }
                }

                await runner.AuditAsync(connection, transaction, project, actor.UserId, move.Value! with { From = project.Status, To = project.Status }, move.Value!.Reason, now, cancellationToken);
                await runner.NotifyAsync(connection, transaction, project, approve ? NotificationKinds.AdjustmentApproved : NotificationKinds.AdjustmentDeclined,
                    move.Value!.Reason, now, cancellationToken, vendor: true, enterprise: true);
                return move.Value!.To;
            }, cancellationToken);
    }
}

/// <summary>
/// An officer files an active project as failed (失败备案): cause category, cause and lessons learned. The project
/// closes as Failed without penalty; when it was the last running project the challenge completes or fails.
/// </summary>
public sealed class FileFailureHandler(DeliveryRunner runner)
{
    public Task<Result<string>> HandleAsync(Actor actor, long projectId, string? category, string? cause, string? lessons, CancellationToken cancellationToken) =>
        runner.RunAsync(projectId,
            project => DeliveryAccess.AsOfficer(project, actor, projectId),
            async (connection, transaction, project, now) =>
            {
                var move = ProjectWorkflow.FileFailure(project.Status, category, cause, lessons);
                if (!move.IsSuccess)
                {
                    return move.Error!;
                }

                await runner.Store.InsertFailureAsync(connection, transaction, projectId, category!, cause!, lessons!, actor.UserId, now, cancellationToken);
                if (!await runner.EndProjectAsync(connection, transaction, project, move.Value!, actor.UserId, move.Value!.Reason, now, cancellationToken))
                {
                    return Error.Conflict("The project changed meanwhile; reload it and try again.");
                }

                return (Result<string>)ProjectStatus.Failed;
            }, cancellationToken);
}

/// <summary>
/// After completion the enterprise grants or declines consent to publish the project as a portfolio case of the
/// vendor. On consent the case is written (client named only when the enterprise agreed) with the challenge's tags,
/// and the vendor's change stamp moves so the matcher re-indexes it. Either answer is recorded once.
/// </summary>
public sealed class PortfolioConsentHandler(DeliveryRunner runner, VendorStore vendors)
{
    public Task<Result<long?>> HandleAsync(Actor actor, long projectId, bool grant, bool nameClient, CancellationToken cancellationToken) =>
        runner.RunAsync(projectId,
            project => DeliveryAccess.AsEnterprise(project, actor, projectId),
            async (connection, transaction, project, now) =>
            {
                if (project.Status != ProjectStatus.Completed)
                {
                    return Error.Conflict("Only a completed project can be published as a portfolio case.");
                }

                if (await runner.Store.HasConsentAsync(connection, transaction, projectId, cancellationToken))
                {
                    return Error.Conflict("The enterprise has answered already for this project.");
                }

                long? caseId = null;
                if (grant)
                {
                    var source = await runner.Store.CaseSourceAsync(connection, transaction, project.ChallengeId, cancellationToken);
                    var milestones = await runner.Store.MilestonesAsync(connection, transaction, projectId, cancellationToken);
                    var body = new StringBuilder(source.Scenario.Trim()).Append("\n\n");
                    foreach (var milestone in milestones)
                    {
                        body.Append("• ").Append(milestone.Name).Append(": ").Append(milestone.Deliverable).Append('\n');
                    }

                    caseId = await vendors.AddCaseAsync(connection, transaction, new NewPortfolioCaseFromDelivery(project, source, body.ToString().TrimEnd(), nameClient, now).ToCase(), cancellationToken);
                    await runner.Store.AddCaseTagsAsync(connection, transaction, caseId.Value, await runner.Store.ChallengeTagsAsync(connection, transaction, project.ChallengeId, cancellationToken), cancellationToken);
                    await runner.Store.TouchVendorAsync(connection, transaction, project.VendorId, now, cancellationToken);
                }

                await runner.Store.InsertConsentAsync(connection, transaction, projectId, grant ? ConsentDecision.Granted : ConsentDecision.Declined, grant && nameClient, caseId, actor.UserId, now, cancellationToken);
                var action = grant ? DeliveryActions.PortfolioConsentGranted : DeliveryActions.PortfolioConsentDeclined;
                await runner.AuditAsync(connection, transaction, project, actor.UserId, new DeliveryMove(action, project.Status, project.Status), grant && nameClient ? "client named" : null, now, cancellationToken);
                return (Result<long?>)caseId;
            }, cancellationToken);

    private sealed record NewPortfolioCaseFromDelivery(ProjectState Project, DeliveryStore.CaseSource Source, string Body, bool NameClient, DateTimeOffset Now)
    {
        public Core.Vendors.NewPortfolioCase ToCase() => new(
            Project.VendorId, Source.Title, NameClient ? Source.EnterpriseName : null, Source.Industry, Now.UtcDateTime.Year, Body, Source.ExpectedOutcome, null);
    }
}
