using Marketplace.Core.Common;
using Marketplace.Core.Delivery;
using Marketplace.Core.Proposals;

namespace Marketplace.Core.Tests.Delivery;

/// <summary>The milestone and project state machines, stage adjustment rules and payment share maths.</summary>
public sealed class DeliveryRulesTests
{
    private static readonly string[] MilestoneStates = [MilestoneStatus.Pending, MilestoneStatus.EvidenceSubmitted, MilestoneStatus.Accepted, MilestoneStatus.Rejected];
    private static readonly string[] Links = ["https://files.example/report.pdf"];
    private static readonly DateOnly Today = new(2026, 6, 1);

    [Theory]
    [InlineData(MilestoneStatus.Pending, true)]
    [InlineData(MilestoneStatus.Rejected, true)]
    [InlineData(MilestoneStatus.EvidenceSubmitted, false)]
    [InlineData(MilestoneStatus.Accepted, false)]
    public void SubmitEvidence_IsAllowedFromPendingAndRejectedOnly(string status, bool allowed)
    {
        var move = MilestoneWorkflow.SubmitEvidence(ProjectStatus.Active, status, "Report", Links);
        Assert.Equal(allowed, move.IsSuccess);
        if (allowed)
        {
            Assert.Equal(MilestoneStatus.EvidenceSubmitted, move.Value!.To);
        }
        else
        {
            Assert.Equal(ErrorKind.Conflict, move.Error!.Kind);
        }
    }

    [Fact]
    public void AcceptAndReject_AreAllowedOnlyWhileEvidenceAwaitsADecision()
    {
        foreach (var status in MilestoneStates)
        {
            var awaiting = status == MilestoneStatus.EvidenceSubmitted;
            Assert.Equal(awaiting, MilestoneWorkflow.Accept(ProjectStatus.Active, status, null, [], 1).IsSuccess);
            Assert.Equal(awaiting, MilestoneWorkflow.Reject(ProjectStatus.Active, status, "Missing test data").IsSuccess);
        }

        Assert.Equal(MilestoneStatus.Accepted, MilestoneWorkflow.Accept(ProjectStatus.Active, MilestoneStatus.EvidenceSubmitted, " ok ", [1], 1).Value!.To);
        Assert.Equal("ok", MilestoneWorkflow.Accept(ProjectStatus.Active, MilestoneStatus.EvidenceSubmitted, " ok ", [1], 1).Value!.Reason);
        Assert.Equal(MilestoneStatus.Rejected, MilestoneWorkflow.Reject(ProjectStatus.Active, MilestoneStatus.EvidenceSubmitted, "why").Value!.To);
    }

    [Theory]
    [InlineData(ProjectStatus.Completed)]
    [InlineData(ProjectStatus.Failed)]
    public void MilestoneMoves_OnAnEndedProject_AreConflicts(string projectStatus)
    {
        Assert.Equal(ErrorKind.Conflict, MilestoneWorkflow.SubmitEvidence(projectStatus, MilestoneStatus.Pending, "x", []).Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, MilestoneWorkflow.Accept(projectStatus, MilestoneStatus.EvidenceSubmitted, null, [], 1).Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, MilestoneWorkflow.Reject(projectStatus, MilestoneStatus.EvidenceSubmitted, "x").Error!.Kind);
    }

    [Fact]
    public void Reject_WithoutReason_IsInvalid_AndAcceptRefusesUnknownTargets()
    {
        Assert.Contains("reason", MilestoneWorkflow.Reject(ProjectStatus.Active, MilestoneStatus.EvidenceSubmitted, "  ").Error!.FieldErrors!.Keys);
        Assert.Contains("targetsMet", MilestoneWorkflow.Accept(ProjectStatus.Active, MilestoneStatus.EvidenceSubmitted, null, [2], 1).Error!.FieldErrors!.Keys);
        Assert.Contains("targetsMet", MilestoneWorkflow.Accept(ProjectStatus.Active, MilestoneStatus.EvidenceSubmitted, null, [0], 1).Error!.FieldErrors!.Keys);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://files.example/x")]
    [InlineData("files.example/report")]
    public void Evidence_WithALinkThatIsNotAWebAddress_IsInvalid(string link)
    {
        var move = MilestoneWorkflow.SubmitEvidence(ProjectStatus.Active, MilestoneStatus.Pending, "Report", [link]);
        Assert.Contains("links", move.Error!.FieldErrors!.Keys);
    }

    [Fact]
    public void Evidence_WithoutText_IsInvalid() =>
        Assert.Contains("body", MilestoneWorkflow.SubmitEvidence(ProjectStatus.Active, MilestoneStatus.Pending, "", Links).Error!.FieldErrors!.Keys);

    [Fact]
    public void Overdue_MeansPastTheDueDateAndNotAccepted()
    {
        Assert.True(MilestoneWorkflow.IsOverdue(MilestoneStatus.Pending, Today.AddDays(-1), Today));
        Assert.True(MilestoneWorkflow.IsOverdue(MilestoneStatus.EvidenceSubmitted, Today.AddDays(-1), Today));
        Assert.False(MilestoneWorkflow.IsOverdue(MilestoneStatus.Pending, Today, Today));
        Assert.False(MilestoneWorkflow.IsOverdue(MilestoneStatus.Accepted, Today.AddDays(-30), Today));
    }

    [Fact]
    public void Project_CompletesOnlyWhenEveryMilestoneIsAccepted()
    {
        Assert.Null(ProjectWorkflow.CompletionAfter(ProjectStatus.Active, [MilestoneStatus.Accepted, MilestoneStatus.EvidenceSubmitted]));
        Assert.Null(ProjectWorkflow.CompletionAfter(ProjectStatus.Active, []));
        Assert.Null(ProjectWorkflow.CompletionAfter(ProjectStatus.Failed, [MilestoneStatus.Accepted]));
        Assert.Equal(ProjectStatus.Completed, ProjectWorkflow.CompletionAfter(ProjectStatus.Active, [MilestoneStatus.Accepted, MilestoneStatus.Accepted])!.To);
    }

    [Fact]
    public void FailureFiling_NeedsAKnownCategoryCauseAndLessons_AndAnActiveProject()
    {
        var invalid = ProjectWorkflow.FileFailure(ProjectStatus.Active, "bad-luck", "", " ");
        Assert.Equal(["category", "cause", "lessons"], invalid.Error!.FieldErrors!.Keys.Order().ToArray());
        Assert.Equal(ErrorKind.Conflict, ProjectWorkflow.FileFailure(ProjectStatus.Completed, "data", "c", "l").Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, ProjectWorkflow.FileFailure(ProjectStatus.Failed, "data", "c", "l").Error!.Kind);
        var filed = ProjectWorkflow.FileFailure(ProjectStatus.Active, "integration", " MES interface missing ", "Check interfaces first");
        Assert.Equal((ProjectStatus.Active, ProjectStatus.Failed, "MES interface missing"), (filed.Value!.From, filed.Value.To, filed.Value.Reason));
        Assert.All(FailureCategories.All, c => Assert.False(string.IsNullOrWhiteSpace(c.Chinese)));
    }

    [Fact]
    public void ChallengeOutcome_WaitsForEveryProject_CompletesWithOneSuccess_FailsOtherwise()
    {
        Assert.Equal(ChallengeOutcome.StillRunning, ProjectWorkflow.OutcomeOf([ProjectStatus.Completed, ProjectStatus.Active]));
        Assert.Equal(ChallengeOutcome.Completed, ProjectWorkflow.OutcomeOf([ProjectStatus.Failed, ProjectStatus.Completed]));
        Assert.Equal(ChallengeOutcome.Failed, ProjectWorkflow.OutcomeOf([ProjectStatus.Failed, ProjectStatus.Failed]));
        Assert.Equal(ChallengeOutcome.StillRunning, ProjectWorkflow.OutcomeOf([]));
    }

    private static readonly AdjustableMilestone First = new(1, 1, MilestoneStatus.Accepted, Today.AddDays(10), "Pilot");
    private static readonly AdjustableMilestone Second = new(2, 2, MilestoneStatus.Pending, Today.AddDays(60), "Acceptance test");

    [Fact]
    public void Adjustment_OfANotYetAcceptedMilestone_KeepsTheOldValues()
    {
        var items = StageAdjustmentRules.Request(ProjectStatus.Active, false, [First, Second],
            [new MilestoneChange { MilestoneId = 2, NewDueOn = Today.AddDays(90), NewDeliverable = "Acceptance test on two lines" }], "Line stop", Today);
        var item = Assert.Single(items.Value!);
        Assert.Equal(new AdjustmentItem(2, Today.AddDays(60), Today.AddDays(90), "Acceptance test", "Acceptance test on two lines"), item);
    }

    [Fact]
    public void Adjustment_Refusals()
    {
        MilestoneChange[] ok = [new() { MilestoneId = 2, NewDueOn = Today.AddDays(90) }];
        Assert.Equal(ErrorKind.Conflict, StageAdjustmentRules.Request(ProjectStatus.Active, true, [First, Second], ok, "r", Today).Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, StageAdjustmentRules.Request(ProjectStatus.Failed, false, [First, Second], ok, "r", Today).Error!.Kind);
        Assert.Contains("reason", StageAdjustmentRules.Request(ProjectStatus.Active, false, [First, Second], ok, " ", Today).Error!.FieldErrors!.Keys);
        Assert.Contains("changes[1]", StageAdjustmentRules.Request(ProjectStatus.Active, false, [First, Second],
            [new MilestoneChange { MilestoneId = 1, NewDueOn = Today.AddDays(90) }], "r", Today).Error!.FieldErrors!.Keys);
        Assert.Contains("changes", StageAdjustmentRules.Request(ProjectStatus.Active, false, [First, Second], [new MilestoneChange { MilestoneId = 2 }], "r", Today).Error!.FieldErrors!.Keys);
        Assert.Contains("changes[2].newDueOn", StageAdjustmentRules.Request(ProjectStatus.Active, false, [First, Second],
            [new MilestoneChange { MilestoneId = 2, NewDueOn = Today.AddDays(-1) }], "r", Today).Error!.FieldErrors!.Keys);
        Assert.Contains("changes[9]", StageAdjustmentRules.Request(ProjectStatus.Active, false, [First, Second],
            [new MilestoneChange { MilestoneId = 9, NewDeliverable = "x" }], "r", Today).Error!.FieldErrors!.Keys);
        Assert.Contains("changes[2]", StageAdjustmentRules.Request(ProjectStatus.Active, false, [First, Second],
            [new MilestoneChange { MilestoneId = 2, NewDueOn = Second.DueOn, NewDeliverable = Second.Deliverable }], "r", Today).Error!.FieldErrors!.Keys);
    }

    [Fact]
    public void AdjustmentDecision_OpenOnly_DeclineNeedsANote_ApproveRefusedOnceAMilestoneWasAccepted()
    {
        Assert.True(StageAdjustmentRules.Approve(AdjustmentStatus.Open, ProjectStatus.Active, [Second], null).IsSuccess);
        Assert.Equal(ErrorKind.Conflict, StageAdjustmentRules.Approve(AdjustmentStatus.Open, ProjectStatus.Active, [First], null).Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, StageAdjustmentRules.Approve(AdjustmentStatus.Approved, ProjectStatus.Active, [Second], null).Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, StageAdjustmentRules.Decline(AdjustmentStatus.Declined, ProjectStatus.Active, "n").Error!.Kind);
        Assert.Equal(ErrorKind.Invalid, StageAdjustmentRules.Decline(AdjustmentStatus.Open, ProjectStatus.Active, "").Error!.Kind);
        Assert.Equal(AdjustmentStatus.Declined, StageAdjustmentRules.Decline(AdjustmentStatus.Open, ProjectStatus.Active, "Not justified").Value!.To);
        Assert.Equal(ErrorKind.Conflict, StageAdjustmentRules.Decline(AdjustmentStatus.Open, ProjectStatus.Completed, "n").Error!.Kind);
    }

    [Fact]
    public void PaymentAmounts_AddUpToThePriceExactly_TheLastMilestoneTakesTheRounding()
    {
        var amounts = PaymentShares.Amounts(1000.01m, [33.33m, 33.33m, 33.34m]);
        Assert.Equal([333.30m, 333.30m, 333.41m], amounts.Select(a => a!.Value).ToArray());
        Assert.Equal(1000.01m, amounts.Sum(a => a!.Value));
        Assert.Equal([392000m, 588000m], PaymentShares.Amounts(980000m, [40m, 60m]).Select(a => a!.Value).ToArray());
        Assert.All(PaymentShares.Amounts(null, [40m, 60m]), a => Assert.Null(a));
    }

    [Fact]
    public void PaymentSummary_CountsReleasedAgainstTotal()
    {
        var summary = PaymentShares.Summarise([(40m, 392000m, true), (60m, 588000m, false)]);
        Assert.Equal(new PaymentSummary(40m, 100m, 392000m, 980000m), summary);
        Assert.Equal(new PaymentSummary(40m, 100m, null, null), PaymentShares.Summarise([(40m, null, true), (60m, null, false)]));
    }

    [Fact]
    public void DeliveryPlan_CopiesTheWinningVersionsMilestonesInOrder()
    {
        var technical = new TechnicalEnvelope
        {
            Milestones =
            [
                new ProposalMilestone { Name = " Pilot ", DueOn = Today.AddDays(60), Deliverable = "Line 2", PaymentSharePercent = 25m },
                new ProposalMilestone { Name = "Go-live", DueOn = Today.AddDays(120), Deliverable = "All lines", PaymentSharePercent = 75m },
            ],
        };
        var plan = DeliveryPlan.FromProposal(technical, 400000m).Value!;
        Assert.Equal(new PlannedMilestone(1, "Pilot", Today.AddDays(60), "Line 2", 25m, 100000m), plan[0]);
        Assert.Equal(new PlannedMilestone(2, "Go-live", Today.AddDays(120), "All lines", 75m, 300000m), plan[1]);
        Assert.Equal(ErrorKind.Conflict, DeliveryPlan.FromProposal(new TechnicalEnvelope(), 1m).Error!.Kind);
    }
}
