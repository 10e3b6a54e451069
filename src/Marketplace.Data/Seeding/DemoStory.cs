using Dapper;
using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Awards;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Features.Delivery;
using Marketplace.Core.Features.Proposals;
using Marketplace.Core.Features.Reviews;
using Marketplace.Core.Proposals;
using Marketplace.Core.Reviews;
using Marketplace.Data.Challenges;
using Marketplace.Data.Delivery;
using Marketplace.Data.Email;
using Marketplace.Data.Proposals;
using Marketplace.Data.Reviews;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Data.Seeding;

/// <summary>
/// The story's clock: set to each step's moment before the step runs, never backwards within a chapter and never past
/// the moment of seeding (<paramref name="end"/>), so the audit log, notifications and deadlines read as if the
/// programme had run for months before the demo was loaded.
/// </summary>
public sealed class StoryClock(DateTimeOffset start, DateTimeOffset end) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>A chapter begins: its own timeline starts here.</summary>
    public void Restart(DateTimeOffset at) => _now = Checked(at, "the start of a chapter");

    public void AdvanceTo(DateTimeOffset at, string step)
    {
        if (at < _now)
        {
            throw new SeedDataException($"The demo story goes back in time at '{step}' ({at:u} is before {_now:u}).");
        }

        _now = Checked(at, step);
    }

    private DateTimeOffset Checked(DateTimeOffset at, string step) =>
        at <= end ? at : throw new SeedDataException($"The demo story reaches past the moment of seeding at '{step}' ({at:u}): story days must be before day 0.");
}

/// <summary>
/// Plays seeds/demo/story.json: each chapter takes a challenge of challenges.json from draft to a later state
/// (bids in, under review, awarded, in delivery, completed, failed) through the same use cases and runner the pages
/// and the API use, acted by the demo accounts, on a <see cref="StoryClock"/> that starts months before the day of
/// seeding. Its own service graph holds the stores and use cases as the app registers them, on the story's clock;
/// follow-up work (rematch, automatic assignment) is dropped: the app refreshes the matcher at start-up, and the
/// story assigns reviewers as an officer would. A chapter is played when its challenge is not in the database yet
/// (same enterprise, same title), so a second seeding plays nothing.
/// </summary>
public sealed class DemoStory : IAsyncDisposable
{
    // Fixed hours (UTC) of the steps of a day, so the same seeding day always gives the same story.
    private static readonly TimeSpan Drafted = TimeSpan.FromHours(1);
    private static readonly TimeSpan Submitted = TimeSpan.FromHours(1.5);
    private static readonly TimeSpan PublishedAt = TimeSpan.FromHours(2);
    private static readonly TimeSpan Asked = TimeSpan.FromHours(3);
    private static readonly TimeSpan Proposed = TimeSpan.FromHours(6);
    private static readonly TimeSpan Answered = TimeSpan.FromHours(8);
    private static readonly TimeSpan DeadlineHour = TimeSpan.FromHours(9); // 17:00 in China
    private static readonly TimeSpan Assigned = TimeSpan.FromHours(2);
    private static readonly TimeSpan Accepted = TimeSpan.FromHours(3);
    private static readonly TimeSpan Scored = TimeSpan.FromHours(7);
    private static readonly TimeSpan ScoringClosed = TimeSpan.FromHours(2);
    private static readonly TimeSpan Decided = TimeSpan.FromHours(5);
    private static readonly TimeSpan Started = TimeSpan.FromHours(3);
    private static readonly TimeSpan Evidenced = TimeSpan.FromHours(6);
    private static readonly TimeSpan SignedOff = TimeSpan.FromHours(8);
    private static readonly TimeSpan Filed = TimeSpan.FromHours(7);
    private static readonly TimeSpan Consented = TimeSpan.FromHours(9);

    private readonly ServiceProvider _services;
    private readonly DbConnectionFactory _connections;
    private readonly StoryClock _clock;
    private readonly DateTimeOffset _today;

    public DemoStory(DbConnectionFactory connections, DateTimeOffset seededAt, EmailSettings? email = null)
    {
        _connections = connections;
        _today = new DateTimeOffset(seededAt.UtcDateTime.Date, TimeSpan.Zero);
        _clock = new StoryClock(_today, seededAt);
        var services = new ServiceCollection()
            .AddSingleton(connections)
            .AddSingleton<TimeProvider>(_clock)
            // The app's e-mail settings when it has them, so links in the story's e-mails point at this app.
            .AddSingleton(email ?? new EmailSettings())
            .AddSingleton<ChallengeStore>()
            .AddChallengeLifecycleData()
            .AddProposalData()
            .AddReviewData(new ReviewOptions())
            .AddDeliveryData();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Plays every chapter whose challenge is missing and asks the free-standing questions; returns the chapters played.</summary>
    public async Task<int> PlayAsync(DemoSeedData data, CancellationToken cancellationToken)
    {
        if (data.Story is not { } story)
        {
            return 0;
        }

        var played = 0;
        foreach (var chapter in story.Chapters)
        {
            var challenge = data.Challenges.Single(c => c.Key == chapter.Challenge);
            var enterprise = data.Enterprises.Single(e => e.Key == challenge.Enterprise);
            if (await ChallengeExistsAsync(enterprise.Key, challenge.Title, cancellationToken))
            {
                continue;
            }

            var id = await PlayChapterAsync(data, chapter, challenge, enterprise, cancellationToken);
            var expected = ChallengeStatusOf(chapter.State);
            if (await StatusAsync(id, cancellationToken) is var status && status != expected)
            {
                throw new SeedDataException($"Story chapter '{chapter.Challenge}' should end {expected} ({chapter.State}) but ends {status}: its steps do not match its state.");
            }

            played++;
        }

        foreach (var question in story.Questions ?? [])
        {
            await AskOnLoadedChallengeAsync(data, question, cancellationToken);
        }

        return played;
    }

    private DateTimeOffset At(int day, TimeSpan hour) => _today.AddDays(day) + hour;

    private static string ChallengeStatusOf(string state) => state switch
    {
        "bids-in" => ChallengeStatus.Closed,
        "under-review" => ChallengeStatus.UnderReview,
        "awarded" => ChallengeStatus.Awarded,
        "in-delivery" => ChallengeStatus.InDelivery,
        "completed" => ChallengeStatus.Completed,
        "failed" => ChallengeStatus.Failed,
        _ => throw new SeedDataException($"Unknown story state '{state}'."),
    };

    /// <summary>Plays one chapter and returns its challenge's id.</summary>
    private async Task<long> PlayChapterAsync(DemoSeedData data, SeedChapter chapter, SeedChallenge seed, SeedEnterprise enterprise, CancellationToken cancellationToken)
    {
        var officerEmail = data.Programme.Officers[0].Email;
        var owner = await ActorAsync(enterprise.Contact.Email, Roles.Enterprise, cancellationToken);
        var officer = await ActorAsync(officerEmail, Roles.Officer, cancellationToken);
        var vendors = new Dictionary<string, Actor>(StringComparer.Ordinal);
        foreach (var key in chapter.Proposals.Select(p => p.Vendor).Concat((chapter.Questions ?? []).Select(q => q.Vendor)).Distinct())
        {
            vendors[key] = await ActorAsync(data.Vendors.Single(v => v.Key == key).Contact.Email, Roles.Vendor, cancellationToken);
        }

        var deadline = At(chapter.Deadline, DeadlineHour);
        var name = chapter.Challenge;
        _clock.Restart(At(chapter.Published, Drafted));
        var challengeId = await RunAsync(name + ": draft", owner, new CreateDraftRequest(Draft(seed, deadline), null), Get<CreateChallengeDraft>(), cancellationToken);
        await StepAsync(name + ": submit", At(chapter.Published, Submitted), owner, new ChallengeMove(challengeId), Get<SubmitChallenge>(), cancellationToken);
        await StepAsync(name + ": publish", At(chapter.Published, PublishedAt), officer, new ChallengeMove(challengeId), Get<PublishChallenge>(), cancellationToken);

        // Bidding: questions and proposals in the order they happened.
        var proposals = new Dictionary<string, long>(StringComparer.Ordinal);
        var bidding = new List<(DateTimeOffset At, Func<Task> Run)>();
        var questionIds = new Dictionary<SeedQuestion, long>();
        foreach (var question in chapter.Questions ?? [])
        {
            bidding.Add((At(question.Day, Asked), async () =>
                questionIds[question] = await RunAsync(name + ": question", vendors[question.Vendor], new AskQuestionRequest(challengeId, question.Question), Get<AskQuestion>(), cancellationToken)));
            if (question.Answer is { } answer)
            {
                bidding.Add((At(question.AnswerDay ?? question.Day, Answered), () =>
                    RunAsync(name + ": answer", owner, new AnswerQuestionRequest(questionIds[question], answer), Get<AnswerQuestion>(), cancellationToken)));
            }
        }

        foreach (var proposal in chapter.Proposals)
        {
            bidding.Add((At(proposal.Day, Proposed), async () =>
            {
                var saved = await RunAsync(name + ": proposal of " + proposal.Vendor, vendors[proposal.Vendor],
                    new SubmitProposalRequest(challengeId, false, Input(proposal)), Get<SubmitProposal>(), cancellationToken);
                proposals[proposal.Vendor] = saved.ProposalId;
            }));
        }

        foreach (var (at, run) in bidding.OrderBy(b => b.At))
        {
            _clock.AdvanceTo(at, name + ": bidding");
            await run();
        }

        // The deadline passes: the same closing the lifecycle-clock job runs, as the system.
        await StepAsync(name + ": close", deadline.AddMinutes(1), null, new ChallengeMove(challengeId), Get<CloseChallenge>(), cancellationToken);
        if (chapter.State == "bids-in")
        {
            return challengeId;
        }

        await ReviewAsync(data, chapter, challengeId, officer, proposals, cancellationToken);
        if (chapter.Award is not { } award)
        {
            return challengeId;
        }

        await StepAsync(name + ": close technical scoring", At(award.Day, ScoringClosed), officer, new ReviewOf(challengeId), Get<CloseTechnicalScoring>(), cancellationToken);
        var verdict = new AwardInput
        {
            WinnerProposalIds = award.Winners.Select(w => proposals[w]).ToList(),
            Reason = award.Reason,
            Feedback = award.Feedback.ToDictionary(f => proposals[f.Key], f => (string?)f.Value),
        };
        await StepAsync(name + ": award", At(award.Day, Decided), officer, new AwardDecisionRequest(challengeId, verdict), Get<DecideAward>(), cancellationToken);
        if (chapter.Delivery is not { } delivery)
        {
            return challengeId;
        }

        var started = await StepAsync(name + ": start delivery", At(delivery.Day, Started), owner, new StartDeliveryRequest(challengeId, delivery.Note), Get<StartDelivery>(), cancellationToken);
        var projectId = started.ProjectIds.Single();
        var winner = vendors[award.Winners.Single()];
        var milestones = await MilestoneIdsAsync(projectId, cancellationToken);
        var steps = delivery.Milestones
            .SelectMany((list, position) => list.Select(step => (Step: step, Position: position)))
            .OrderBy(s => At(s.Step.Day, s.Step.Step == "evidence" ? Evidenced : SignedOff))
            .ToList();
        foreach (var (step, position) in steps)
        {
            var milestoneId = milestones[position];
            var what = $"{name}: milestone {position + 1} {step.Step}";
            if (step.Step == "evidence")
            {
                await StepAsync(what, At(step.Day, Evidenced), winner, new SubmitEvidenceRequest(milestoneId, step.Text, step.Links), Get<SubmitEvidence>(), cancellationToken);
            }
            else if (step.Step is "accept" or "reject")
            {
                var decision = step.Step == "accept"
                    ? DecideMilestoneRequest.Accepting(milestoneId, step.Text, step.TargetsMet)
                    : DecideMilestoneRequest.Rejecting(milestoneId, step.Text);
                await StepAsync(what, At(step.Day, SignedOff), owner, decision, Get<DecideMilestone>(), cancellationToken);
            }
            else
            {
                throw new SeedDataException($"{what}: a milestone step is evidence, accept or reject.");
            }
        }

        if (chapter.Failure is { } failure)
        {
            await StepAsync(name + ": failure filing", At(failure.Day, Filed), officer,
                new FileFailureRequest(projectId, failure.Category, failure.Cause, failure.Lessons), Get<FileFailure>(), cancellationToken);
        }

        if (chapter.Portfolio is { } portfolio)
        {
            await StepAsync(name + ": portfolio consent", At(portfolio.Day, Consented), owner,
                new PortfolioConsentRequest(projectId, true, portfolio.NameClient), Get<RecordPortfolioConsent>(), cancellationToken);
        }

        return challengeId;
    }

    /// <summary>The officer assigns each reviewer to their proposals; reviewers accept and score on their own days.</summary>
    private async Task ReviewAsync(DemoSeedData data, SeedChapter chapter, long challengeId, Actor officer, Dictionary<string, long> proposals, CancellationToken cancellationToken)
    {
        var name = chapter.Challenge;
        var reviews = chapter.Reviews ?? [];
        var startDay = chapter.ReviewStarts ?? throw new SeedDataException($"{name}: a chapter past bidding needs reviewStarts.");
        _clock.AdvanceTo(At(startDay, Assigned), name + ": assign reviewers");
        var reviewers = new Dictionary<string, Actor>(StringComparer.OrdinalIgnoreCase);
        var assignments = new Dictionary<(string Reviewer, string Vendor), long>();
        foreach (var group in reviews.GroupBy(r => r.Reviewer, StringComparer.OrdinalIgnoreCase))
        {
            reviewers[group.Key] = await ActorAsync(data.Programme.Reviewers.Single(r => string.Equals(r.Email, group.Key, StringComparison.OrdinalIgnoreCase)).Email, Roles.Reviewer, cancellationToken);
            var made = await RunAsync($"{name}: assign {group.Key}", officer,
                new ReviewerAssignment(challengeId, reviewers[group.Key].UserId, group.Select(r => proposals[r.Vendor]).ToList()), Get<AssignReviewer>(), cancellationToken);
            if (made.Skipped.Count > 0)
            {
                throw new SeedDataException($"{name}: {group.Key} could not be assigned to {string.Join(", ", made.Skipped.Select(s => s.VendorName + " (" + s.Reason + ")"))}.");
            }

            foreach (var review in group)
            {
                assignments[(group.Key, review.Vendor)] = made.Assigned.Single(a => a.ProposalId == proposals[review.Vendor]).AssignmentId;
            }
        }

        var rubric = await Get<ReviewStore>().CriteriaAsync(challengeId, cancellationToken);
        var steps = new List<(DateTimeOffset At, string What, Func<Task> Run)>();
        foreach (var review in reviews.Where(r => r.Accept))
        {
            var assignment = assignments[(review.Reviewer, review.Vendor)];
            var reviewer = reviewers[review.Reviewer];
            var what = $"{name}: review of {review.Vendor} by {review.Reviewer}";
            var day = review.Day ?? startDay;
            steps.Add((At(day, Accepted), what + " (accept)", () => RunAsync(what + " (accept)", reviewer, new AssignmentAnswer(assignment), Get<AcceptAssignment>(), cancellationToken)));
            if (review.Scores is not { } scores)
            {
                continue;
            }

            if (scores.Count != rubric.Count || review.Comments?.Count != rubric.Count)
            {
                throw new SeedDataException($"{what}: give one score and one comment for each of the {rubric.Count} rubric criteria.");
            }

            var sheet = rubric.Select((c, i) => new ScoreInput { CriterionId = c.Id, Score = scores[i], Comment = review.Comments[i] }).ToList();
            steps.Add((At(day, Scored), what + " (scores)", () => RunAsync(what + " (scores)", reviewer, new ScoreSheet(assignment, sheet), Get<RecordScores>(), cancellationToken)));
        }

        foreach (var (at, what, run) in steps.OrderBy(s => s.At))
        {
            _clock.AdvanceTo(at, what);
            await run();
        }
    }

    /// <summary>A question on a challenge loaded as published (not part of a chapter), asked and perhaps answered the day before seeding at the latest.</summary>
    private async Task AskOnLoadedChallengeAsync(DemoSeedData data, SeedQuestion question, CancellationToken cancellationToken)
    {
        var seed = data.Challenges.Single(c => c.Key == question.Challenge);
        var enterprise = data.Enterprises.Single(e => e.Key == seed.Enterprise);
        await using var connection = await _connections.OpenAsync(cancellationToken);
        var challengeId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM challenges WHERE slug = @Slug", new { Slug = seed.Key }, cancellationToken: cancellationToken))
            ?? throw new SeedDataException($"Story question: challenge '{seed.Key}' is not loaded.");
        var asked = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM challenge_questions WHERE challenge_id = @Id AND question = @Question", new { Id = challengeId, question.Question }, cancellationToken: cancellationToken));
        if (asked > 0)
        {
            return;
        }

        var vendor = await ActorAsync(data.Vendors.Single(v => v.Key == question.Vendor).Contact.Email, Roles.Vendor, cancellationToken);
        _clock.Restart(At(question.Day, Asked));
        var id = await RunAsync($"question on {seed.Key}", vendor, new AskQuestionRequest(challengeId, question.Question), Get<AskQuestion>(), cancellationToken);
        if (question.Answer is { } answer)
        {
            var owner = await ActorAsync(enterprise.Contact.Email, Roles.Enterprise, cancellationToken);
            await StepAsync($"answer on {seed.Key}", At(question.AnswerDay ?? question.Day, Answered), owner, new AnswerQuestionRequest(id, answer), Get<AnswerQuestion>(), cancellationToken);
        }
    }

    private static ChallengeDraft Draft(SeedChallenge seed, DateTimeOffset deadline) => new()
    {
        Title = seed.Title,
        Industry = seed.Industry,
        Scenario = seed.Scenario,
        CurrentProcess = seed.CurrentProcess,
        DataAvailable = seed.DataAvailable,
        Constraints = seed.Constraints,
        AcceptanceTargets = (seed.AcceptanceTargets ?? []).Select(t => new AcceptanceTargetInput { Metric = t.Metric, Threshold = t.Threshold, TestMethod = t.TestMethod }).ToList(),
        ExpectedOutcome = seed.ExpectedOutcome,
        TargetTrl = seed.TargetTrl,
        BudgetAmount = seed.Budget?.Amount,
        BudgetCurrency = seed.Budget?.Currency,
        DeadlineAt = deadline,
        Language = seed.Language,
        Tags = seed.Tags ?? [],
        Visibility = seed.Visibility,
    };

    private ProposalInput Input(SeedProposal proposal) => new()
    {
        Approach = proposal.Approach,
        TargetAnswers = proposal.TargetAnswers.Cast<string?>().ToList(),
        CurrentTrl = proposal.CurrentTrl,
        DeliveryTrl = proposal.DeliveryTrl,
        Team = proposal.Team,
        Milestones = proposal.Milestones.Select(m => new MilestoneInput
        {
            Name = m.Name,
            DueOn = DateOnly.FromDateTime(_today.AddDays(m.Due).UtcDateTime),
            Deliverable = m.Deliverable,
            PaymentShare = m.Share,
        }).ToList(),
        PriceAmount = proposal.Price,
        PriceCurrency = proposal.Currency,
        PaymentTerms = proposal.PaymentTerms,
    };

    private T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    private async Task<TResult> StepAsync<TRequest, TResult>(string step, DateTimeOffset at, Actor? actor, TRequest request, IUseCase<TRequest, TResult> useCase,
        CancellationToken cancellationToken)
    {
        _clock.AdvanceTo(at, step);
        return await RunAsync(step, actor, request, useCase, cancellationToken);
    }

    private async Task<TResult> RunAsync<TRequest, TResult>(string step, Actor? actor, TRequest request, IUseCase<TRequest, TResult> useCase, CancellationToken cancellationToken)
    {
        var result = await Get<UseCaseRunner>().RunAsync(useCase, actor, request, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new SeedDataException($"The demo story was refused at '{step}': {Describe(result.Error!)}");
        }

        return result.Value!;
    }

    private static string Describe(Error error) =>
        error.FieldErrors is { Count: > 0 } fields
            ? error.Message + " " + string.Join("; ", fields.Select(f => f.Key + ": " + string.Join(" ", f.Value)))
            : error.Message;

    /// <summary>A demo user as the use cases see them: their organisations and the one role they act in.</summary>
    private async Task<Actor> ActorAsync(string email, string role, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        var userId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM users WHERE normalized_email = @Email", new { Email = email.ToUpperInvariant() }, cancellationToken: cancellationToken))
            ?? throw new SeedDataException($"The demo story needs the user {email}, who is not in the database.");
        var organisations = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT organisation_id FROM memberships WHERE user_id = @UserId ORDER BY organisation_id", new { UserId = userId }, cancellationToken: cancellationToken))).ToList();
        return new Actor(userId, organisations, [role]);
    }

    private async Task<bool> ChallengeExistsAsync(string enterpriseSlug, string title, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            SELECT COUNT(*) FROM challenges c JOIN organisations o ON o.id = c.enterprise_id
            WHERE o.slug = @Slug AND c.title = @Title
            """, new { Slug = enterpriseSlug, Title = title }, cancellationToken: cancellationToken)) > 0;
    }

    private async Task<string> StatusAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT status FROM challenges WHERE id = @Id", new { Id = challengeId }, cancellationToken: cancellationToken)) ?? "";
    }

    private async Task<IReadOnlyList<long>> MilestoneIdsAsync(long projectId, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM delivery_milestones WHERE project_id = @ProjectId ORDER BY position", new { ProjectId = projectId }, cancellationToken: cancellationToken))).ToList();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
