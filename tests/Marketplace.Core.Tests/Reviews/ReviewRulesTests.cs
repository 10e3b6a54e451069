using Marketplace.Core.Awards;
using Marketplace.Core.Common;
using Marketplace.Core.Reviews;

namespace Marketplace.Core.Tests.Reviews;

public sealed class AssignmentWorkflowTests
{
    [Fact]
    public void Accept_FromAssigned_MovesToAccepted()
    {
        var move = AssignmentWorkflow.Accept(AssignmentStatus.Assigned, scoringClosed: false);
        Assert.Equal(new AssignmentMove(AssignmentStatus.Assigned, AssignmentStatus.Accepted), move.Value);
    }

    [Theory]
    [InlineData(AssignmentStatus.Accepted)]
    [InlineData(AssignmentStatus.ConflictDeclared)]
    [InlineData(AssignmentStatus.Removed)]
    public void Accept_FromAnyOtherState_IsAConflict(string status) =>
        Assert.Equal(ErrorKind.Conflict, AssignmentWorkflow.Accept(status, false).Error!.Kind);

    [Fact]
    public void Accept_AfterScoringClosed_IsAConflict() =>
        Assert.Equal(ErrorKind.Conflict, AssignmentWorkflow.Accept(AssignmentStatus.Assigned, true).Error!.Kind);

    [Theory]
    [InlineData(AssignmentStatus.Assigned)]
    [InlineData(AssignmentStatus.Accepted)]
    public void DeclareConflict_NeedsAReason_AndKeepsIt(string status)
    {
        Assert.Equal(ErrorKind.Invalid, AssignmentWorkflow.DeclareConflict(status, false, "  ").Error!.Kind);
        Assert.Equal(ErrorKind.Invalid, AssignmentWorkflow.DeclareConflict(status, false, new string('x', 2001)).Error!.Kind);
        var move = AssignmentWorkflow.DeclareConflict(status, false, " Former employer ");
        Assert.Equal(AssignmentStatus.ConflictDeclared, move.Value!.To);
        Assert.Equal("Former employer", move.Value.Reason);
    }

    [Fact]
    public void DeclareConflict_OnAClosedAssignment_IsAConflictEvenWithoutAReason() =>
        Assert.Equal(ErrorKind.Conflict, AssignmentWorkflow.DeclareConflict(AssignmentStatus.Removed, false, null).Error!.Kind);

    [Fact]
    public void Remove_IsRefusedOnceScoresExist()
    {
        Assert.Equal(AssignmentStatus.Removed, AssignmentWorkflow.Remove(AssignmentStatus.Accepted, false, 0).Value!.To);
        Assert.Equal(ErrorKind.Conflict, AssignmentWorkflow.Remove(AssignmentStatus.Accepted, false, 1).Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, AssignmentWorkflow.Remove(AssignmentStatus.ConflictDeclared, false, 0).Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, AssignmentWorkflow.Remove(AssignmentStatus.Assigned, true, 0).Error!.Kind);
    }

    [Fact]
    public void MayScore_OnlyAnAcceptedAssignment_WhileScoringIsOpen()
    {
        Assert.Null(AssignmentWorkflow.MayScore(AssignmentStatus.Accepted, false));
        Assert.NotNull(AssignmentWorkflow.MayScore(AssignmentStatus.Assigned, false));
        Assert.NotNull(AssignmentWorkflow.MayScore(AssignmentStatus.ConflictDeclared, false));
        Assert.NotNull(AssignmentWorkflow.MayScore(AssignmentStatus.Accepted, true));
    }
}

public sealed class RubricRulesTests
{
    private static CriterionInput C(string name, int? weight) => new() { NameZh = name + "（中）", NameEn = name, Weight = weight };

    [Fact]
    public void Defaults_AreTheProgrammesFourCriteria_SummingTo100()
    {
        Assert.Equal([30, 25, 25, 20], RubricRules.Defaults.Select(c => c.Weight));
        Assert.Equal(["技术成熟度", "路径创新", "验收指标契合度", "过程贡献与团队"], RubricRules.Defaults.Select(c => c.NameZh));
        Assert.True(RubricRules.Validate(RubricRules.Defaults.Select(c => new CriterionInput { NameZh = c.NameZh, NameEn = c.NameEn, Weight = c.Weight }).ToList()).IsSuccess);
    }

    [Fact]
    public void Validate_WeightsMustSumTo100()
    {
        var error = RubricRules.Validate([C("A", 50), C("B", 49)]).Error!;
        Assert.Contains("criteria", error.FieldErrors!.Keys);
        Assert.True(RubricRules.Validate([C("A", 50), C("B", 50)]).IsSuccess);
    }

    [Fact]
    public void Validate_TwoToEightCriteria_BlankRowsDropped()
    {
        Assert.False(RubricRules.Validate([C("A", 100)]).IsSuccess);
        Assert.False(RubricRules.Validate(Enumerable.Range(0, 9).Select(i => C("C" + i, i == 0 ? 20 : 10)).ToList()).IsSuccess);
        Assert.True(RubricRules.Validate(Enumerable.Range(0, 8).Select(i => C("C" + i, i < 4 ? 15 : 10)).ToList()).IsSuccess);
        var withBlank = RubricRules.Validate([C("A", 60), new CriterionInput(), C("B", 40)]);
        Assert.Equal([1, 2], withBlank.Value!.Select(c => c.Position));
    }

    [Fact]
    public void Validate_EachCriterionNeedsBothNamesAndAWeightFrom1To100()
    {
        var error = RubricRules.Validate([new CriterionInput { NameEn = "A", Weight = 0 }, C("B", 100)]).Error!;
        Assert.Contains("criteria[0].nameZh", error.FieldErrors!.Keys);
        Assert.Contains("criteria[0].weight", error.FieldErrors!.Keys);
    }

    [Fact]
    public void MayEdit_FrozenAfterTheFirstScore()
    {
        Assert.Null(RubricRules.MayEdit(true, 0, false));
        Assert.NotNull(RubricRules.MayEdit(true, 1, false));
        Assert.NotNull(RubricRules.MayEdit(true, 0, true));
        Assert.NotNull(RubricRules.MayEdit(false, 0, false));
    }

    [Fact]
    public void ValidateScores_EveryCriterion_1To10_WithAComment()
    {
        var rubric = new[] { new RubricCriterion { Id = 1, NameEn = "A", Weight = 50 }, new RubricCriterion { Id = 2, NameEn = "B", Weight = 50 } };
        var error = RubricRules.ValidateScores(rubric, [new ScoreInput { CriterionId = 1, Score = 11, Comment = "x" }, new ScoreInput { CriterionId = 2, Score = 5, Comment = " " }]).Error!;
        Assert.Contains("scores[1].score", error.FieldErrors!.Keys);
        Assert.Contains("scores[2].comment", error.FieldErrors!.Keys);
        Assert.False(RubricRules.ValidateScores(rubric, [new ScoreInput { CriterionId = 1, Score = 5, Comment = "x" }]).IsSuccess);
        Assert.False(RubricRules.ValidateScores(rubric, [new ScoreInput { CriterionId = 1, Score = 1, Comment = "x" }, new ScoreInput { CriterionId = 2, Score = 10, Comment = new string('y', 2001) }]).IsSuccess);
        Assert.Equal(2, RubricRules.ValidateScores(rubric, [new ScoreInput { CriterionId = 1, Score = 1, Comment = "x" }, new ScoreInput { CriterionId = 2, Score = 10, Comment = "y" }]).Value!.Count);
    }
}

public sealed class ReviewAggregatorTests
{
    private static readonly RubricCriterion[] Rubric =
    [
        new() { Id = 10, Weight = 30 }, new() { Id = 11, Weight = 25 }, new() { Id = 12, Weight = 25 }, new() { Id = 13, Weight = 20 },
    ];

    private static IEnumerable<LatestScore> All(long assignment, long proposal, int score) =>
        Rubric.Select(c => new LatestScore(assignment, proposal, c.Id, score, "c"));

    [Fact]
    public void MeanSpreadAndDisagreement_AtTheFourPointEdge()
    {
        var assignments = new[] { new ReviewerOfProposal(1, 100, 7, "R1"), new ReviewerOfProposal(2, 100, 8, "R2") };
        var scores = All(1, 100, 9).Concat(All(2, 100, 6)).ToList();
        scores[Rubric.Length] = scores[Rubric.Length] with { Score = 5 }; // reviewer 2, first criterion: 9 vs 5, spread 4

        var p = Assert.Single(ReviewAggregator.Aggregate([100], Rubric, assignments, scores));
        Assert.Equal(7, p.Criteria[0].Mean);
        Assert.Equal(4, p.Criteria[0].Spread);
        Assert.True(p.Criteria[0].Disagreement);
        Assert.Equal(3, p.Criteria[1].Spread);
        Assert.False(p.Criteria[1].Disagreement);
        Assert.Equal(2, p.Criteria[0].Reviewers);
        // 30×7 + 25×7.5 + 25×7.5 + 20×7.5 = 735 → 73.5
        Assert.Equal(73.5, p.WeightedTotal);
    }

    [Fact]
    public void WeightedTotal_IsOn0To100_AndRanksHighestFirst_TiesShareARank()
    {
        var assignments = new[] { new ReviewerOfProposal(1, 100, 7, "R"), new ReviewerOfProposal(2, 200, 7, "R"), new ReviewerOfProposal(3, 300, 7, "R") };
        var scores = All(1, 100, 5).Concat(All(2, 200, 10)).Concat(All(3, 300, 5)).ToList();
        var ranked = ReviewAggregator.Aggregate([100, 200, 300], Rubric, assignments, scores);
        Assert.Equal([200L, 100L, 300L], ranked.Select(r => r.ProposalId));
        Assert.Equal(100, ranked[0].WeightedTotal);
        Assert.Equal([1, 2, 2], ranked.Select(r => r.Rank!.Value));
    }

    [Fact]
    public void IncompleteReviews_DoNotCount_AndAreListedAsMissing()
    {
        var assignments = new[] { new ReviewerOfProposal(1, 100, 7, "Rita"), new ReviewerOfProposal(2, 100, 8, "Ravi") };
        var scores = All(1, 100, 8).Concat([new LatestScore(2, 100, 10, 1, "partial")]).ToList();
        var p = Assert.Single(ReviewAggregator.Aggregate([100, 200], Rubric, assignments, scores), a => a.ProposalId == 100);
        Assert.Equal(1, p.CompleteReviews);
        Assert.Equal(8, p.Criteria[0].Mean);
        Assert.Equal("Ravi", Assert.Single(p.IncompleteReviews).ReviewerName);

        var missing = ReviewAggregator.MissingBeforeClosing(ReviewAggregator.Aggregate([100, 200], Rubric, assignments, scores),
            new Dictionary<long, string> { [100] = "Vision", [200] = "Routes" });
        Assert.Equal(["Ravi has not scored every criterion of the proposal of Vision.", "The proposal of Routes has no complete review."], missing);
    }

    [Fact]
    public void NoReview_NoTotal_NoRank()
    {
        var p = Assert.Single(ReviewAggregator.Aggregate([100], Rubric, [], []));
        Assert.Null(p.WeightedTotal);
        Assert.Null(p.Rank);
    }
}

public sealed class AwardRulesTests
{
    private static readonly long[] Ranked = [3, 1, 2];

    [Fact]
    public void Winners_AreStoredInRankOrder_FeedbackForEveryOther()
    {
        var plan = AwardRules.Validate(new AwardInput { WinnerProposalIds = [1, 3], Feedback = new Dictionary<long, string?> { [2] = " Thin evidence " } }, Ranked, 3);
        Assert.Equal([3L, 1L], plan.Value!.WinnersInRankOrder);
        Assert.Equal("Thin evidence", plan.Value.Feedback[2]);
    }

    [Fact]
    public void MissingFeedback_IsAFieldErrorPerProposal()
    {
        var error = AwardRules.Validate(new AwardInput { WinnerProposalIds = [3] }, Ranked, 3).Error!;
        Assert.Contains("feedback[1]", error.FieldErrors!.Keys);
        Assert.Contains("feedback[2]", error.FieldErrors!.Keys);
    }

    [Fact]
    public void Quota_BoundsTheWinners_AndAtLeastOneUnlessNoAward()
    {
        var feedback = new Dictionary<long, string?> { [1] = "a", [2] = "b", [3] = "c" };
        Assert.Contains("winners", AwardRules.Validate(new AwardInput { WinnerProposalIds = [3, 1], Feedback = feedback }, Ranked, 1).Error!.FieldErrors!.Keys);
        Assert.Contains("winners", AwardRules.Validate(new AwardInput { Feedback = feedback }, Ranked, 3).Error!.FieldErrors!.Keys);
        Assert.Contains("winners", AwardRules.Validate(new AwardInput { WinnerProposalIds = [99], Feedback = feedback }, Ranked, 3).Error!.FieldErrors!.Keys);
    }

    [Fact]
    public void NoAward_NeedsAReason_AndFeedbackForEveryProposal()
    {
        var feedback = new Dictionary<long, string?> { [1] = "a", [2] = "b", [3] = "c" };
        Assert.Contains("reason", AwardRules.Validate(new AwardInput { NoAward = true, Feedback = feedback }, Ranked, 3).Error!.FieldErrors!.Keys);
        Assert.Contains("feedback[3]", AwardRules.Validate(new AwardInput { NoAward = true, Reason = "None met the targets." }, Ranked, 3).Error!.FieldErrors!.Keys);
        var plan = AwardRules.Validate(new AwardInput { NoAward = true, Reason = "None met the targets.", Feedback = feedback }, Ranked, 3).Value!;
        Assert.Empty(plan.WinnersInRankOrder);
        Assert.Equal(3, plan.Feedback.Count);
    }

    [Fact]
    public void Quota_IsAWholeNumberFrom1To20()
    {
        Assert.NotNull(AwardRules.ValidQuota(0));
        Assert.NotNull(AwardRules.ValidQuota(21));
        Assert.NotNull(AwardRules.ValidQuota(null));
        Assert.Null(AwardRules.ValidQuota(3));
    }
}
