using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Reviews;

namespace Marketplace.Core.Features.Reviews;

/// <summary>The rubric an officer entered for a challenge.</summary>
public sealed record RubricEdit(long ChallengeId, IReadOnlyList<CriterionInput> Criteria) : IChallengeReviewRequest;

/// <summary>An officer edits the rubric (names and weights) until the first score is recorded; the change is audited.</summary>
public sealed class EditRubric(IChallengeLifecycleStore lifecycle, IReviewStore reviews)
    : OfficerReviewUseCase<RubricEdit, int, IReadOnlyList<RubricCriterion>, IReadOnlyList<RubricCriterion>>(lifecycle, reviews)
{
    protected override Task<int> LoadDetailAsync(UseCaseContext context, RubricEdit request, ChallengeState challenge, CancellationToken cancellationToken) =>
        Reviews.ScoreCountAsync(context.Work, challenge.Id, cancellationToken);

    protected override Result<IReadOnlyList<RubricCriterion>> Decide(UseCaseContext context, RubricEdit request, ReviewSubject<int> subject) =>
        RubricRules.MayEdit(subject.Challenge.Status == ChallengeStatus.UnderReview, subject.Detail, subject.ScoringClosed) is { } frozen
            ? frozen
            : RubricRules.Validate(request.Criteria);

    protected override async Task<Result<IReadOnlyList<RubricCriterion>>> ApplyAsync(UseCaseContext context, RubricEdit request, ReviewSubject<int> subject,
        IReadOnlyList<RubricCriterion> rubric, CancellationToken cancellationToken)
    {
        var id = subject.Challenge.Id;
        await Reviews.ReplaceCriteriaAsync(context.Work, id, rubric, cancellationToken);
        context.Audit(id, ReviewActions.RubricChanged, null, null, string.Join("; ", rubric.Select(c => $"{c.NameZh} / {c.NameEn} {c.Weight}")));
        return Result<IReadOnlyList<RubricCriterion>>.Success(await Reviews.CriteriaAsync(context.Work, id, cancellationToken));
    }
}

/// <summary>One save of a reviewer's scores.</summary>
public sealed record ScoreSheet(long AssignmentId, IReadOnlyList<ScoreInput> Scores) : IAssignmentRequest;

public sealed record ScoresSaved(long AssignmentId, DateTimeOffset RecordedAt, IReadOnlyList<ScoreEntry> Scores);

/// <summary>
/// The reviewer saves their scores for an accepted assignment: every criterion 1–10 with a comment. Each save
/// appends rows (the old ones stay as history); the latest per criterion counts until technical scoring closes.
/// </summary>
public sealed class RecordScores(IReviewStore reviews) : UseCase<ScoreSheet, RecordScores.Sheet, IReadOnlyList<ScoreEntry>, ScoresSaved>
{
    /// <summary>The assignment and the rubric it is scored against.</summary>
    public sealed record Sheet(AssignmentState Assignment, IReadOnlyList<RubricCriterion> Rubric);

    protected override async Task<Sheet?> LoadAsync(UseCaseContext context, ScoreSheet request, CancellationToken cancellationToken) =>
        await reviews.LoadAssignmentAsync(context.Work, request.AssignmentId, cancellationToken) is { } assignment
            ? new Sheet(assignment, await reviews.CriteriaAsync(context.Work, assignment.ChallengeId, cancellationToken))
            : null;

    protected override Error? Authorise(UseCaseContext context, ScoreSheet request, Sheet? sheet) =>
        ReviewPolicy.AsAssignedReviewer(context.Actor, sheet?.Assignment.ReviewerUserId, request.AssignmentId);

    protected override Result<IReadOnlyList<ScoreEntry>> Decide(UseCaseContext context, ScoreSheet request, Sheet sheet) =>
        AssignmentWorkflow.MayScore(sheet.Assignment.Status, sheet.Assignment.ScoringClosed) is { } refused
            ? refused
            : RubricRules.ValidateScores(sheet.Rubric, request.Scores);

    protected override async Task<Result<ScoresSaved>> ApplyAsync(UseCaseContext context, ScoreSheet request, Sheet sheet, IReadOnlyList<ScoreEntry> scores,
        CancellationToken cancellationToken)
    {
        await reviews.AppendScoresAsync(context.Work, sheet.Assignment.Id, scores, context.Now, cancellationToken);
        return new ScoresSaved(sheet.Assignment.Id, context.Now, scores);
    }
}

/// <summary>Technical scoring closed: when, and how many submitted proposals' price envelopes opened.</summary>
public sealed record TechnicalScoringClosed(long ChallengeId, DateTimeOffset OpenedAt, int ProposalCount);

/// <summary>
/// An officer closes technical scoring of a challenge under review, which opens its price envelopes (one record:
/// price_envelope_openings). Refused while an accepted review is incomplete or a submitted proposal has no complete
/// review, with the list of what is missing. From then on scores, assignments and the rubric are frozen. Audited.
/// </summary>
public sealed class CloseTechnicalScoring(IChallengeLifecycleStore lifecycle, IReviewStore reviews)
    : OfficerReviewUseCase<ReviewOf, ReviewScores, ReviewScores, TechnicalScoringClosed>(lifecycle, reviews)
{
    public const string AlreadyClosed = "Technical scoring of this challenge has already closed; its price envelopes are open.";

    protected override Task<ReviewScores> LoadDetailAsync(UseCaseContext context, ReviewOf request, ChallengeState challenge, CancellationToken cancellationToken) =>
        Reviews.ScoresAsync(context.Work, challenge.Id, cancellationToken);

    protected override Result<ReviewScores> Decide(UseCaseContext context, ReviewOf request, ReviewSubject<ReviewScores> subject)
    {
        if (subject.ScoringClosed)
        {
            return Error.Conflict(AlreadyClosed);
        }

        if (subject.Challenge.Status != ChallengeStatus.UnderReview)
        {
            return Error.Conflict("Price envelopes open when technical scoring closes, on a challenge under review: assign reviewers first.");
        }

        var missing = ReviewAggregator.MissingBeforeClosing(subject.Detail.Aggregate, subject.Detail.VendorNames);
        return missing.Count > 0 ? Error.Conflict("Technical scoring cannot close yet. " + string.Join(" ", missing)) : subject.Detail;
    }

    protected override async Task<Result<TechnicalScoringClosed>> ApplyAsync(UseCaseContext context, ReviewOf request, ReviewSubject<ReviewScores> subject,
        ReviewScores scores, CancellationToken cancellationToken)
    {
        var id = subject.Challenge.Id;
        if (await Reviews.CloseScoringAsync(context.Work, id, context.Person.UserId, context.Now, cancellationToken) is not { } count)
        {
            return Error.Conflict(AlreadyClosed);
        }

        context.Audit(id, ReviewActions.ScoringClosed, null, null, $"{count} proposals; price envelopes opened");
        return new TechnicalScoringClosed(id, context.Now, count);
    }
}
