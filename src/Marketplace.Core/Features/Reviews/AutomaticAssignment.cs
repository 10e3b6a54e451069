using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Features.Notifications;
using Marketplace.Core.Notifications;
using Marketplace.Core.Proposals;
using Marketplace.Core.Reviews;

namespace Marketplace.Core.Features.Reviews;

// ---- What the plan is made from ----

/// <summary>A proposal's technical text as the matcher reads it (approach, team, answers to the targets) and the challenge's tags.</summary>
public sealed record ProposalText(long ProposalId, string Title, string Text, IReadOnlyList<string> Tags);

/// <summary>A live or declared-conflict assignment already on the challenge.</summary>
public sealed record ExistingAssignment
{
    public long ProposalId { get; init; }
    public long ReviewerUserId { get; init; }
    public string Status { get; init; } = "";
}

/// <summary>A member of the bidding organisation or of a consortium partner of a proposal: conflicted with it.</summary>
public sealed record ConflictPair
{
    public long ProposalId { get; init; }
    public long UserId { get; init; }
}

/// <summary>A proposal's sealed technical content as stored (JSON), read only by the programme office after the deadline.</summary>
public sealed record ProposalContent
{
    public long ProposalId { get; init; }
    public string TechnicalContent { get; init; } = "";
}

/// <summary>Everything an assignment plan is decided from, read in one transaction.</summary>
public sealed record AssignmentInputs(
    ChallengeState Challenge,
    bool ScoringClosed,
    IReadOnlyList<ReviewedProposal> Proposals,
    IReadOnlyList<ProposalText> Texts,
    IReadOnlyList<ReviewerPerson> Reviewers,
    IReadOnlyList<ConflictPair> Conflicts,
    IReadOnlyList<ExistingAssignment> Existing,
    IReadOnlyDictionary<long, int> OpenAssignments,
    bool HasRubric);

/// <summary>The reads automatic assignment needs besides <see cref="IReviewStore"/>: whole-challenge batches, not one reviewer at a time.</summary>
public interface IAssignmentInputStore
{
    /// <summary>Everyone holding the Reviewer role.</summary>
    Task<IReadOnlyList<ReviewerPerson>> ReviewersAsync(IUnitOfWork work, CancellationToken cancellationToken);

    /// <summary>By proposal of the challenge: the users who belong to the bidding organisation or a consortium partner.</summary>
    Task<IReadOnlyList<ConflictPair>> ConflictPairsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    /// <summary>Assignments of the challenge that are live or declared a conflict.</summary>
    Task<IReadOnlyList<ExistingAssignment>> AssignmentsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    /// <summary>Open assignments per reviewer across challenges whose technical scoring has not closed.</summary>
    Task<IReadOnlyDictionary<long, int>> OpenAssignmentCountsAsync(IUnitOfWork work, CancellationToken cancellationToken);

    /// <summary>The current technical content of the challenge's submitted proposals.</summary>
    Task<IReadOnlyList<ProposalContent>> SubmittedContentAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ChallengeTagsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);
}

/// <summary>
/// Expertise affinity of reviewers for proposals, from the matcher (0 to 1; a pair left out is 0). Called outside any
/// transaction: the matcher keeps its own index and may refresh it.
/// </summary>
public interface IReviewerAffinities
{
    Task<IReadOnlyDictionary<(long ProposalId, long ReviewerUserId), double>> ScoreAsync(IReadOnlyList<ProposalText> proposals, IReadOnlyCollection<long> reviewerUserIds,
        CancellationToken cancellationToken);
}

/// <summary>The optimisation problem as Core states it (the Matching library solves it; see Data's adapter).</summary>
public sealed record AssignmentDemand(
    IReadOnlyList<long> ProposalIds,
    IReadOnlyList<long> ReviewerUserIds,
    IReadOnlyDictionary<(long ProposalId, long ReviewerUserId), double> Affinities,
    IReadOnlyDictionary<(long ProposalId, long ReviewerUserId), string> Forbidden,
    int ReviewersPerProposal,
    int LoadCap,
    IReadOnlyDictionary<long, int> CurrentLoad,
    IReadOnlyDictionary<long, int> AlreadyAssigned);

public sealed record OptimisedPair(long ProposalId, long ReviewerUserId, double Affinity);

public sealed record OptimisedUnfilled(long ProposalId, int Slots, string Reason);

public sealed record OptimisedAssignment(string Method, IReadOnlyList<OptimisedPair> Pairs, double Objective, int SlotsNeeded, IReadOnlyList<OptimisedUnfilled> Unfilled, TimeSpan Elapsed);

/// <summary>Solves an <see cref="AssignmentDemand"/>: k per proposal, the cap per reviewer, no forbidden pair, most slots then most affinity.</summary>
public interface IReviewerAssignmentOptimiser
{
    OptimisedAssignment Solve(AssignmentDemand demand);
}

// ---- The plan ----

/// <summary>Why a pair may not be made, or a slot stayed empty. Stored and returned as these strings.</summary>
public static class AssignmentReasons
{
    public const string ConflictOfInterest = "conflict_of_interest";
    public const string ConflictDeclared = "conflict_declared";
    public const string AlreadyAssigned = "already_assigned";
    public const string NotEnoughEligibleReviewers = "not_enough_eligible_reviewers";
    public const string LoadCapReached = "load_cap_reached";
}

public sealed record PlannedPair(long ProposalId, string VendorName, long ReviewerUserId, string ReviewerName, double Affinity);

public sealed record CurrentReviewer(long ProposalId, string VendorName, long ReviewerUserId, string ReviewerName, string Status);

/// <summary>A reviewer's load: open assignments now (all challenges), new in this plan, and the cap.</summary>
public sealed record ReviewerLoad(long ReviewerUserId, string Name, int Open, int Planned, int Cap);

public sealed record UnfilledSlot(long ProposalId, string VendorName, int Slots, string Reason);

/// <summary>
/// A proposed assignment for a challenge: the new pairs with their affinity, the reviewers already on each proposal
/// (kept), the objective (total affinity of the new pairs), slots needed and filled, every reviewer's load against
/// the cap, and the slots left empty with the reason. Nothing is written until it is applied.
/// </summary>
public sealed record ReviewerAssignmentPlan(
    long ChallengeId,
    string ChallengeTitle,
    int ReviewersPerProposal,
    int LoadCap,
    string Method,
    double Objective,
    int SlotsNeeded,
    int SlotsFilled,
    double SolveMilliseconds,
    IReadOnlyList<ReviewedProposal> Proposals,
    IReadOnlyList<PlannedPair> Pairs,
    IReadOnlyList<CurrentReviewer> Current,
    IReadOnlyList<ReviewerLoad> Reviewers,
    IReadOnlyList<UnfilledSlot> Unfilled);

/// <summary>
/// The rules of automatic assignment without I/O: which pairs are forbidden (the same conflicts as a manual
/// assignment: membership of the bidding organisation or a consortium partner, a declared conflict; plus a reviewer
/// already on the proposal), what each proposal still needs and each reviewer may still take, and the plan built
/// from the optimiser's answer.
/// </summary>
public static class AutomaticAssignmentRules
{
    public static AssignmentDemand Demand(AssignmentInputs inputs, IReadOnlyDictionary<(long, long), double> affinities, ReviewOptions options)
    {
        var forbidden = new Dictionary<(long ProposalId, long ReviewerUserId), string>();
        foreach (var c in inputs.Conflicts)
        {
            forbidden[(c.ProposalId, c.UserId)] = AssignmentReasons.ConflictOfInterest;
        }

        foreach (var e in inputs.Existing)
        {
            forbidden.TryAdd((e.ProposalId, e.ReviewerUserId), e.Status == AssignmentStatus.ConflictDeclared ? AssignmentReasons.ConflictDeclared : AssignmentReasons.AlreadyAssigned);
        }

        var already = inputs.Existing.Where(e => AssignmentStatus.IsLive(e.Status)).GroupBy(e => e.ProposalId).ToDictionary(g => g.Key, g => g.Count());
        return new AssignmentDemand(
            inputs.Proposals.Select(p => p.ProposalId).ToList(),
            inputs.Reviewers.Select(r => r.UserId).ToList(),
            affinities,
            forbidden,
            options.ReviewersPerProposal,
            options.MaxOpenAssignmentsPerReviewer,
            inputs.OpenAssignments,
            already);
    }

    public static ReviewerAssignmentPlan Plan(AssignmentInputs inputs, AssignmentDemand demand, OptimisedAssignment solution)
    {
        var vendors = inputs.Proposals.ToDictionary(p => p.ProposalId, p => p.VendorName);
        var names = inputs.Reviewers.ToDictionary(r => r.UserId, r => r.Name);
        var planned = solution.Pairs.GroupBy(p => p.ReviewerUserId).ToDictionary(g => g.Key, g => g.Count());
        return new ReviewerAssignmentPlan(
            inputs.Challenge.Id,
            inputs.Challenge.Title,
            demand.ReviewersPerProposal,
            demand.LoadCap,
            solution.Method,
            Math.Round(solution.Objective, 6),
            solution.SlotsNeeded,
            solution.Pairs.Count,
            solution.Elapsed.TotalMilliseconds,
            inputs.Proposals,
            solution.Pairs.Select(p => new PlannedPair(p.ProposalId, vendors[p.ProposalId], p.ReviewerUserId, names.GetValueOrDefault(p.ReviewerUserId, "#" + p.ReviewerUserId), Math.Round(p.Affinity, 6))).ToList(),
            inputs.Existing.Where(e => AssignmentStatus.IsLive(e.Status) && vendors.ContainsKey(e.ProposalId))
                .Select(e => new CurrentReviewer(e.ProposalId, vendors[e.ProposalId], e.ReviewerUserId, names.GetValueOrDefault(e.ReviewerUserId, "#" + e.ReviewerUserId), e.Status)).ToList(),
            inputs.Reviewers.Select(r => new ReviewerLoad(r.UserId, r.Name, inputs.OpenAssignments.GetValueOrDefault(r.UserId), planned.GetValueOrDefault(r.UserId), demand.LoadCap))
                .OrderByDescending(l => l.Planned).ThenBy(l => l.Name, StringComparer.Ordinal).ToList(),
            solution.Unfilled.Select(u => new UnfilledSlot(u.ProposalId, vendors[u.ProposalId], u.Slots, u.Reason)).ToList());
    }

    /// <summary>What the matcher reads of a proposal: the same text as the reviewer suggestions on its page.</summary>
    public static ProposalText TextOf(long proposalId, string challengeTitle, string technicalContent, IReadOnlyList<string> tags)
    {
        var technical = ProposalSeal.Deserialize(technicalContent);
        var text = string.Join("\n", new[] { technical.Approach, technical.Team }
            .Concat(technical.TargetAnswers.Select(a => a.Answer))
            .Where(t => !string.IsNullOrWhiteSpace(t)));
        return new ProposalText(proposalId, challengeTitle, text, tags);
    }
}

// ---- Use cases ----

/// <summary>
/// A request of automatic assignment. <see cref="BySystem"/> marks the scheduler's run after closing: it is allowed
/// only when nobody is signed in (the runner's actor is null); a signed-in person is always checked as an officer.
/// </summary>
public interface IAutomaticAssignmentRequest : IChallengeReviewRequest
{
    bool BySystem { get; }
}

public sealed record AssignmentInputsRequest(long ChallengeId, bool BySystem = false) : IAutomaticAssignmentRequest;

/// <summary>
/// The shared shape of the automatic assignment steps: load the challenge and whether scoring closed, authorise an
/// officer (or the system's own run), check that reviewers may be assigned at all, then the step's own reads.
/// </summary>
public abstract class AutomaticAssignmentUseCase<TRequest, TDecision, TResult>(IChallengeLifecycleStore lifecycle, IReviewStore reviews, IAssignmentInputStore inputs)
    : UseCase<TRequest, AssignmentInputs, TDecision, TResult>
    where TRequest : IAutomaticAssignmentRequest
{
    protected IReviewStore Reviews => reviews;

    protected IChallengeLifecycleStore Lifecycle => lifecycle;

    protected static bool IsSystem(UseCaseContext context, TRequest request) => request.BySystem && context.Actor is null;

    protected sealed override async Task<AssignmentInputs?> LoadAsync(UseCaseContext context, TRequest request, CancellationToken cancellationToken)
    {
        var work = context.Work;
        var challenge = await lifecycle.LoadStateAsync(work, request.ChallengeId, cancellationToken);
        if (challenge is null)
        {
            return null;
        }

        if (!IsSystem(context, request) && !ReviewPolicy.RunsReview(context.Actor))
        {
            // Nothing more is read for someone who may not run the review: Authorise refuses them.
            return new AssignmentInputs(challenge, false, [], [], [], [], [], new Dictionary<long, int>(), false);
        }

        var proposals = await reviews.SubmittedProposalsAsync(work, challenge.Id, cancellationToken);
        var texts = new List<ProposalText>();
        if (ReadsTexts && proposals.Count > 0)
        {
            var tags = await inputs.ChallengeTagsAsync(work, challenge.Id, cancellationToken);
            var submitted = proposals.Select(p => p.ProposalId).ToHashSet();
            texts.AddRange((await inputs.SubmittedContentAsync(work, challenge.Id, cancellationToken))
                .Where(c => submitted.Contains(c.ProposalId))
                .Select(c => AutomaticAssignmentRules.TextOf(c.ProposalId, challenge.Title, c.TechnicalContent, tags)));
        }

        return new AssignmentInputs(
            challenge,
            await reviews.ScoringClosedAsync(work, challenge.Id, cancellationToken),
            proposals,
            texts,
            await inputs.ReviewersAsync(work, cancellationToken),
            await inputs.ConflictPairsAsync(work, challenge.Id, cancellationToken),
            await inputs.AssignmentsAsync(work, challenge.Id, cancellationToken),
            await inputs.OpenAssignmentCountsAsync(work, cancellationToken),
            (await reviews.CriteriaAsync(work, challenge.Id, cancellationToken)).Count > 0);
    }

    /// <summary>Whether the step needs the proposals' text (only the proposal does: it asks the matcher).</summary>
    protected virtual bool ReadsTexts => false;

    protected sealed override Error? Authorise(UseCaseContext context, TRequest request, AssignmentInputs? state) =>
        IsSystem(context, request)
            ? state is null ? ChallengePolicy.NotFound(request.ChallengeId) : null
            : ReviewPolicy.AsOfficer(context.Actor, state?.Challenge, request.ChallengeId);
}

/// <summary>
/// Reads what an assignment plan is made from (read-only): the submitted proposals and their text, the reviewers,
/// conflicts, assignments already made (kept) and every reviewer's open load. Refused, like a manual assignment, when
/// the challenge is not closed or under review, scoring has closed, or there is no proposal.
/// </summary>
public sealed class LoadAssignmentInputs(IChallengeLifecycleStore lifecycle, IReviewStore reviews, IAssignmentInputStore inputs)
    : AutomaticAssignmentUseCase<AssignmentInputsRequest, AssignmentInputs, AssignmentInputs>(lifecycle, reviews, inputs)
{
    protected override bool ReadsTexts => true;

    protected override Result<AssignmentInputs> Decide(UseCaseContext context, AssignmentInputsRequest request, AssignmentInputs state) =>
        AssignmentRules.MayAssign(state.Challenge, state.ScoringClosed, state.Proposals.Count) is { } refused ? refused : state;

    protected override Task<Result<AssignmentInputs>> ApplyAsync(UseCaseContext context, AssignmentInputsRequest request, AssignmentInputs state, AssignmentInputs decision,
        CancellationToken cancellationToken) => Task.FromResult<Result<AssignmentInputs>>(decision);
}

/// <summary>
/// Proposes an assignment of k reviewers per proposal (officer, or the system after closing). Read-only: loads the
/// inputs in one transaction (<see cref="LoadAssignmentInputs"/>), asks the matcher for the affinities outside it,
/// and solves the optimisation (<see cref="IReviewerAssignmentOptimiser"/>). Existing assignments are kept and count
/// towards k and the load cap.
/// </summary>
public sealed class ProposeReviewerAssignment(LoadAssignmentInputs load, IReviewerAffinities affinities, IReviewerAssignmentOptimiser optimiser, ReviewOptions options,
    UseCaseRunner runner)
{
    public async Task<Result<ReviewerAssignmentPlan>> RunAsync(Actor? actor, long challengeId, CancellationToken cancellationToken = default) =>
        await RunAsync(actor, new AssignmentInputsRequest(challengeId), cancellationToken);

    internal async Task<Result<ReviewerAssignmentPlan>> RunAsync(Actor? actor, AssignmentInputsRequest request, CancellationToken cancellationToken)
    {
        var loaded = await runner.RunAsync(load, actor, request, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error!;
        }

        var inputs = loaded.Value!;
        var scores = await affinities.ScoreAsync(inputs.Texts, inputs.Reviewers.Select(r => r.UserId).ToList(), cancellationToken);
        var demand = AutomaticAssignmentRules.Demand(inputs, scores, options);
        return AutomaticAssignmentRules.Plan(inputs, demand, optimiser.Solve(demand));
    }
}

/// <summary>One pair to assign: a reviewer on a proposal.</summary>
public sealed record PairInput(long ProposalId, long ReviewerUserId);

/// <summary>The officer's confirmation of a plan, possibly edited: the pairs to make.</summary>
public sealed record ReviewerAssignmentApplication(long ChallengeId, IReadOnlyList<PairInput> Pairs, bool BySystem = false) : IAutomaticAssignmentRequest;

public sealed record AppliedPair(long AssignmentId, long ProposalId, string VendorName, long ReviewerUserId, string ReviewerName);

/// <summary>What applying did: the assignments made, the pairs that already existed (skipped), and whether review started.</summary>
public sealed record AssignmentPlanApplied(long ChallengeId, bool ReviewStarted, IReadOnlyList<AppliedPair> Assigned, IReadOnlyList<PairInput> AlreadyAssigned);

/// <summary>The validated pairs, grouped by reviewer as the manual rules decided them, and the pairs skipped.</summary>
public sealed record ApplicationPlan(IReadOnlyList<AssignmentPlan> PerReviewer, IReadOnlyList<PairInput> AlreadyAssigned, ChallengeTransition? StartsReview);

/// <summary>
/// Applies an assignment plan (officer, or the system after closing) in one transaction. Every pair is checked by the
/// same rules as a manual assignment (<see cref="AssignmentRules"/>: Reviewer role, conflicts of interest, a declared
/// conflict, the load cap); one refused pair refuses the whole plan and nothing changes. Idempotent: pairs already
/// assigned are skipped. Assignments are made as <see cref="AssignReviewer"/> makes them (the first starts review and
/// creates the default rubric; each reviewer is notified once), each is audited, and the plan itself is audited.
/// </summary>
public sealed class ApplyReviewerAssignment(IChallengeLifecycleStore lifecycle, IReviewStore reviews, IAssignmentInputStore inputs, ReviewOptions options)
    : AutomaticAssignmentUseCase<ReviewerAssignmentApplication, ApplicationPlan, AssignmentPlanApplied>(lifecycle, reviews, inputs)
{
    public const int MaxPairs = 5000;

    protected override Result<ApplicationPlan> Decide(UseCaseContext context, ReviewerAssignmentApplication request, AssignmentInputs state)
    {
        if (AssignmentRules.MayAssign(state.Challenge, state.ScoringClosed, state.Proposals.Count) is { } refused)
        {
            return refused;
        }

        var pairs = (request.Pairs ?? []).Distinct().ToList();
        if (pairs.Count == 0)
        {
            return Error.Invalid("pairs", "Choose at least one reviewer and proposal to assign.");
        }

        if (pairs.Count > MaxPairs)
        {
            return Error.Invalid("pairs", $"At most {MaxPairs} pairs can be assigned at once.");
        }

        var live = state.Existing.Where(e => AssignmentStatus.IsLive(e.Status)).Select(e => new PairInput(e.ProposalId, e.ReviewerUserId)).ToHashSet();
        var skipped = pairs.Where(live.Contains).ToList();
        var reviewers = state.Reviewers.ToDictionary(r => r.UserId);
        var perReviewer = new List<AssignmentPlan>();
        foreach (var group in pairs.Where(p => !live.Contains(p)).GroupBy(p => p.ReviewerUserId))
        {
            var reviewer = reviewers.GetValueOrDefault(group.Key);
            var candidates = new AssignmentCandidates(
                state.Proposals,
                state.Conflicts.Where(c => c.UserId == group.Key).Select(c => c.ProposalId).ToHashSet(),
                reviewer,
                state.Existing.Where(e => e.ReviewerUserId == group.Key).GroupBy(e => e.ProposalId).ToDictionary(g => g.Key, g => g.First().Status),
                state.OpenAssignments.GetValueOrDefault(group.Key),
                state.HasRubric);
            var decided = AssignmentRules.Plan(state.Challenge, state.ScoringClosed, new ReviewerAssignment(state.Challenge.Id, group.Key, group.Select(p => p.ProposalId).ToList()),
                candidates, options.MaxOpenAssignmentsPerReviewer);
            if (!decided.IsSuccess)
            {
                // Say which reviewer the manual rule refused; a batch names many.
                var error = decided.Error!;
                var who = reviewer?.Name ?? $"User {group.Key}";
                return error.Kind == ErrorKind.Invalid
                    ? Error.Invalid("pairs", $"{who}: {error.Message}")
                    : error with { Message = error.Message.StartsWith(who, StringComparison.Ordinal) ? error.Message : $"{who}: {error.Message}" };
            }

            perReviewer.Add(decided.Value!);
        }

        var start = perReviewer.Count > 0 && state.Challenge.Status == ChallengeStatus.Closed ? ChallengeWorkflow.StartReview(state.Challenge.Status).Value : null;
        return new ApplicationPlan(perReviewer, skipped, start);
    }

    protected override async Task<Result<AssignmentPlanApplied>> ApplyAsync(UseCaseContext context, ReviewerAssignmentApplication request, AssignmentInputs state,
        ApplicationPlan plan, CancellationToken cancellationToken)
    {
        var challenge = state.Challenge;
        if (plan.StartsReview is { } start)
        {
            if (!await Lifecycle.ApplyAsync(context.Work, challenge.Id, start, context.Now, cancellationToken))
            {
                return Error.Conflict("The challenge changed state meanwhile; reload it and try again.");
            }

            context.Audit(challenge.Id, start);
            if (!state.HasRubric)
            {
                await Reviews.ReplaceCriteriaAsync(context.Work, challenge.Id, RubricRules.Defaults, cancellationToken);
            }
        }

        var assigned = new List<AppliedPair>();
        foreach (var reviewerPlan in plan.PerReviewer)
        {
            var reviewer = reviewerPlan.Reviewer;
            foreach (var p in reviewerPlan.Targets)
            {
                if (await Reviews.InsertAssignmentAsync(context.Work, challenge.Id, p.ProposalId, reviewer.UserId, context.Actor?.UserId, context.Now,
                    options.ScoresDueAt(context.Now), cancellationToken) is not { } id)
                {
                    return Error.Conflict($"{reviewer.Name} was assigned to one of these proposals at the same moment; reload the page.");
                }

                assigned.Add(new AppliedPair(id, p.ProposalId, p.VendorName, reviewer.UserId, reviewer.Name));
                context.Audit(challenge.Id, ReviewActions.ReviewerAssigned, null, null, $"{reviewer.Name} → {p.VendorName}");
            }

            context.Notify(NotificationKinds.ReviewAssigned, challenge.Id, challenge.Title, null, Audience.Users([reviewer.UserId]));
        }

        if (assigned.Count > 0)
        {
            var how = IsSystem(context, request) ? "automatic, after closing" : "proposed by the optimiser, confirmed by the officer";
            context.Audit(challenge.Id, ReviewActions.AssignmentPlanApplied, null, null,
                $"{assigned.Count} assignment(s) ({how}); {plan.AlreadyAssigned.Count} already assigned");
        }

        return new AssignmentPlanApplied(challenge.Id, plan.StartsReview is not null, assigned, plan.AlreadyAssigned);
    }
}

/// <summary>What the scheduler's run after closing did: proposed a plan to the officers, or applied it.</summary>
public sealed record AfterClosingOutcome(string Mode, ReviewerAssignmentPlan? Proposed, bool OfficersTold, AssignmentPlanApplied? Applied);

/// <summary>
/// The scheduler's entry points after a challenge closes, as the system (no signed-in actor, like
/// <see cref="ChallengeCloser"/>). <see cref="AfterClosingAsync"/> follows `Review:AssignmentAfterClosing`: by default it
/// proposes the optimal plan and tells the officers once (they confirm or edit it on the plan page; no reviewer hears
/// of it before); in "apply" mode it applies the plan unedited. Both are safe to run twice: the officers are told once
/// per challenge (<see cref="SendReminder"/>'s record), and a second apply keeps what the first made and proposes only
/// for slots still empty (none, usually). A challenge that cannot be assigned (no proposals, not closed, scoring
/// closed) comes back as the same Conflict an officer would get.
/// </summary>
public sealed class AutomaticReviewerAssignment(ProposeReviewerAssignment propose, ApplyReviewerAssignment apply, SendReminder tell, ReviewOptions options, UseCaseRunner runner)
{
    public async Task<Result<AfterClosingOutcome>> AfterClosingAsync(long challengeId, CancellationToken cancellationToken = default)
    {
        if (options.AssignmentAfterClosing == AssignmentAfterClosingModes.Apply)
        {
            var applied = await ApplyAsync(challengeId, cancellationToken);
            return applied.IsSuccess ? new AfterClosingOutcome(AssignmentAfterClosingModes.Apply, null, false, applied.Value) : applied.Error!;
        }

        return await ProposeAsync(challengeId, cancellationToken);
    }

    /// <summary>
    /// Proposes the plan (read-only) and, when it assigns anyone, tells every officer once per challenge, with its
    /// numbers; the notification opens the plan page, which proposes afresh from the data of that moment.
    /// </summary>
    public async Task<Result<AfterClosingOutcome>> ProposeAsync(long challengeId, CancellationToken cancellationToken = default)
    {
        var plan = await propose.RunAsync(null, new AssignmentInputsRequest(challengeId, BySystem: true), cancellationToken);
        if (!plan.IsSuccess)
        {
            return plan.Error!;
        }

        var proposed = plan.Value!;
        if (proposed.Pairs.Count == 0)
        {
            return new AfterClosingOutcome(AssignmentAfterClosingModes.Propose, proposed, false, null);
        }

        var objective = proposed.Objective.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        var reviewers = proposed.Pairs.Select(p => p.ReviewerUserId).Distinct().Count();
        var reminder = new Reminder(
            NotificationKinds.AssignmentProposed,
            challengeId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            challengeId,
            proposed.ChallengeTitle,
            $"建议：{proposed.Pairs.Count} 项指派（{reviewers} 名评审人，{proposed.Proposals.Count} 份方案），已填补 {proposed.SlotsFilled}/{proposed.SlotsNeeded} 个评审席位，匹配度总和 {objective}。",
            $"Plan: {proposed.Pairs.Count} assignment(s) of {reviewers} reviewer(s) to {proposed.Proposals.Count} proposal(s), {proposed.SlotsFilled} of {proposed.SlotsNeeded} slots filled, total affinity {objective}.",
            [Audience.Officers]);
        var told = await runner.RunAsync(tell, null, reminder, cancellationToken);
        if (!told.IsSuccess && told.Error!.Kind != ErrorKind.Conflict)
        {
            return told.Error;
        }

        // A Conflict means the officers were told before (a second run): nothing more to say.
        return new AfterClosingOutcome(AssignmentAfterClosingModes.Propose, proposed, told.IsSuccess, null);
    }

    /// <summary>Proposes the plan and applies it unedited as the system.</summary>
    public async Task<Result<AssignmentPlanApplied>> ApplyAsync(long challengeId, CancellationToken cancellationToken = default)
    {
        var plan = await propose.RunAsync(null, new AssignmentInputsRequest(challengeId, BySystem: true), cancellationToken);
        if (!plan.IsSuccess)
        {
            return plan.Error!;
        }

        var pairs = plan.Value!.Pairs.Select(p => new PairInput(p.ProposalId, p.ReviewerUserId)).ToList();
        if (pairs.Count == 0)
        {
            return new AssignmentPlanApplied(challengeId, false, [], []);
        }

        return await runner.RunAsync(apply, null, new ReviewerAssignmentApplication(challengeId, pairs, BySystem: true), cancellationToken);
    }
}
