using Marketplace.Core.Challenges;
using Marketplace.Core.Common;

namespace Marketplace.Core.Tests.Challenges;

/// <summary>The transition table: every move from every state, allowed exactly where the table says.</summary>
public sealed class ChallengeWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Future = Now.AddDays(10);
    private static readonly DateTimeOffset Past = Now.AddDays(-1);

    private static readonly string[] AllStates =
    [
        ChallengeStatus.Draft, ChallengeStatus.Submitted, ChallengeStatus.Returned, ChallengeStatus.Rejected, ChallengeStatus.Published,
        ChallengeStatus.Closed, ChallengeStatus.UnderReview, ChallengeStatus.Awarded, ChallengeStatus.NotAwarded, ChallengeStatus.InDelivery,
        ChallengeStatus.Completed, ChallengeStatus.Failed, ChallengeStatus.Withdrawn,
    ];

    /// <summary>Each move with valid arguments, so only the state decides.</summary>
    private static readonly Dictionary<string, Func<string, Result<ChallengeTransition>>> Moves = new()
    {
        [ChallengeActions.SubmittedForScreening] = s => ChallengeWorkflow.SubmitForScreening(s, Future, Now),
        [ChallengeActions.ReturnedForChanges] = s => ChallengeWorkflow.ReturnForChanges(s, "Add a test method."),
        [ChallengeActions.Rejected] = s => ChallengeWorkflow.Reject(s, "Out of scope."),
        [ChallengeActions.Published] = s => ChallengeWorkflow.Publish(s, Future, Now, 0, null),
        [ChallengeActions.Withdrawn] = s => ChallengeWorkflow.Withdraw(s),
        [ChallengeActions.Closed] = s => ChallengeWorkflow.Close(s, Past, Now),
        [ChallengeActions.ReviewStarted] = ChallengeWorkflow.StartReview,
        [ChallengeActions.Awarded] = ChallengeWorkflow.Award,
        [ChallengeActions.NotAwarded] = s => ChallengeWorkflow.DeclineAward(s, "No proposal met the targets."),
        [ChallengeActions.DeliveryStarted] = ChallengeWorkflow.StartDelivery,
        [ChallengeActions.Completed] = ChallengeWorkflow.Complete,
        [ChallengeActions.Failed] = s => ChallengeWorkflow.Fail(s, "Sensor data unusable."),
        [ChallengeActions.ClosedWithoutProposals] = s => ChallengeWorkflow.CloseWithoutProposals(s, Past, Now),
        [ChallengeActions.Reopened] = s => ChallengeWorkflow.Reopen(s, 0, Future, Now),
    };

    public static TheoryData<string, string> EveryStateAndAction()
    {
        var data = new TheoryData<string, string>();
        foreach (var state in AllStates)
        {
            foreach (var action in Moves.Keys)
            {
                data.Add(state, action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStateAndAction))]
    public void EveryMove_IsAllowedExactlyWhereTheTableSays_AndRefusedWithAConflictElsewhere(string state, string action)
    {
        var expected = ChallengeWorkflow.Moves.SingleOrDefault(m => m.From == state && m.Action == action);

        var result = Moves[action](state);

        if (expected is null)
        {
            Assert.False(result.IsSuccess);
            Assert.Equal(ErrorKind.Conflict, result.Error!.Kind);
        }
        else
        {
            Assert.True(result.IsSuccess, result.Error?.Message);
            Assert.Equal(new ChallengeTransition(action, state, expected.To, result.Value!.Reason), result.Value);
        }
    }

    [Fact]
    public void TheTable_CoversTheLifecycleOfTheIssue()
    {
        string Next(string from, string action) => ChallengeWorkflow.Moves.Single(m => m.From == from && m.Action == action).To;

        var state = Next(ChallengeStatus.Draft, ChallengeActions.SubmittedForScreening);
        state = Next(state, ChallengeActions.Published);
        state = Next(state, ChallengeActions.Closed);
        state = Next(state, ChallengeActions.ReviewStarted);
        state = Next(state, ChallengeActions.Awarded);
        state = Next(state, ChallengeActions.DeliveryStarted);

        Assert.Equal(ChallengeStatus.Completed, Next(state, ChallengeActions.Completed));
        Assert.Equal(ChallengeStatus.Failed, Next(state, ChallengeActions.Failed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void ReturnAndReject_WithoutAReason_AreInvalid(string? reason)
    {
        Assert.Equal(ErrorKind.Invalid, ChallengeWorkflow.ReturnForChanges(ChallengeStatus.Submitted, reason).Error!.Kind);
        Assert.Equal(ErrorKind.Invalid, ChallengeWorkflow.Reject(ChallengeStatus.Submitted, reason).Error!.Kind);
    }

    [Fact]
    public void Reject_FromTheWrongState_IsAConflict_EvenWithoutAReason()
    {
        Assert.Equal(ErrorKind.Conflict, ChallengeWorkflow.Reject(ChallengeStatus.Draft, null).Error!.Kind);
    }

    [Fact]
    public void ReturnForChanges_KeepsTheTrimmedReason()
    {
        var result = ChallengeWorkflow.ReturnForChanges(ChallengeStatus.Submitted, "  Add the data volume.  ");

        Assert.Equal("Add the data volume.", result.Value!.Reason);
    }

    [Fact]
    public void Publish_AFlaggedChallenge_NeedsAnOverrideReason()
    {
        var refused = ChallengeWorkflow.Publish(ChallengeStatus.Submitted, Future, Now, negativeListFlags: 2, overrideReason: " ");
        var allowed = ChallengeWorkflow.Publish(ChallengeStatus.Submitted, Future, Now, negativeListFlags: 2, overrideReason: "Safety monitoring only, workers consented.");

        Assert.Equal(ErrorKind.Invalid, refused.Error!.Kind);
        Assert.Contains("overrideReason", refused.Error.FieldErrors!.Keys);
        Assert.Equal("Safety monitoring only, workers consented.", allowed.Value!.Reason);
        Assert.Equal(ChallengeStatus.Published, allowed.Value.To);
    }

    [Fact]
    public void Publish_AfterTheDeadline_IsRefused()
    {
        Assert.Equal(ErrorKind.Conflict, ChallengeWorkflow.Publish(ChallengeStatus.Submitted, Past, Now, 0, null).Error!.Kind);
    }

    [Fact]
    public void Close_BeforeTheDeadline_IsRefused_AndAtTheDeadline_Allowed()
    {
        Assert.Equal(ErrorKind.Conflict, ChallengeWorkflow.Close(ChallengeStatus.Published, Future, Now).Error!.Kind);
        Assert.True(ChallengeWorkflow.Close(ChallengeStatus.Published, Now, Now).IsSuccess);
    }

    [Fact]
    public void Submit_WithAPassedDeadline_AsksForANewOne()
    {
        var result = ChallengeWorkflow.SubmitForScreening(ChallengeStatus.Draft, Past, Now);

        Assert.Equal(ErrorKind.Invalid, result.Error!.Kind);
        Assert.Contains("deadlineAt", result.Error.FieldErrors!.Keys);
    }

    [Theory]
    [InlineData(ChallengeStatus.Draft, true, false)]
    [InlineData(ChallengeStatus.Returned, true, false)]
    [InlineData(ChallengeStatus.Published, true, true)]
    [InlineData(ChallengeStatus.Submitted, false, false)]
    [InlineData(ChallengeStatus.Closed, false, false)]
    [InlineData(ChallengeStatus.Rejected, false, false)]
    public void MayEdit_DraftsFreely_PublishedAsANewVersion_OtherwiseNot(string state, bool allowed, bool isRevision)
    {
        var result = ChallengeWorkflow.MayEdit(state, Future, Now);

        Assert.Equal(allowed, result.IsSuccess);
        if (allowed)
        {
            Assert.Equal(isRevision, result.Value);
        }
        else
        {
            Assert.Equal(ErrorKind.Conflict, result.Error!.Kind);
        }
    }

    [Fact]
    public void MayEdit_APublishedChallengeAfterItsDeadline_IsRefused()
    {
        Assert.False(ChallengeWorkflow.MayEdit(ChallengeStatus.Published, Past, Now).IsSuccess);
    }

    [Fact]
    public void Reopen_NeedsNoProposals_AndANewDeadlineInTheFuture()
    {
        Assert.True(ChallengeWorkflow.Reopen(ChallengeStatus.NotAwarded, 0, Future, Now).IsSuccess);
        Assert.Equal(ErrorKind.Conflict, ChallengeWorkflow.Reopen(ChallengeStatus.NotAwarded, 2, Future, Now).Error!.Kind);
        Assert.Equal(ErrorKind.Invalid, ChallengeWorkflow.Reopen(ChallengeStatus.NotAwarded, 0, Past, Now).Error!.Kind);
        Assert.Equal(ErrorKind.Invalid, ChallengeWorkflow.Reopen(ChallengeStatus.NotAwarded, 0, null, Now).Error!.Kind);
    }

    [Fact]
    public void CloseWithoutProposals_WaitsForTheDeadline_AndRecordsWhy()
    {
        Assert.Equal(ErrorKind.Conflict, ChallengeWorkflow.CloseWithoutProposals(ChallengeStatus.Published, Future, Now).Error!.Kind);
        var ended = ChallengeWorkflow.CloseWithoutProposals(ChallengeStatus.Published, Past, Now).Value!;
        Assert.Equal((ChallengeStatus.NotAwarded, ChallengeWorkflow.NoProposalsReason), (ended.To, ended.Reason));
    }

    [Fact]
    public void Withdraw_KeepsAnOptionalTrimmedReason_AndRefusesOneOverTheLimit()
    {
        Assert.Null(ChallengeWorkflow.Withdraw(ChallengeStatus.Published).Value!.Reason);
        Assert.Null(ChallengeWorkflow.Withdraw(ChallengeStatus.Published, "  ").Value!.Reason);
        Assert.Equal("Budget cut", ChallengeWorkflow.Withdraw(ChallengeStatus.Published, " Budget cut ").Value!.Reason);

        var tooLong = ChallengeWorkflow.Withdraw(ChallengeStatus.Published, new string('x', ChallengeWorkflow.MaxReasonLength + 1));

        Assert.Equal(ErrorKind.Invalid, tooLong.Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, ChallengeWorkflow.Withdraw(ChallengeStatus.Awarded, "fine").Error!.Kind);
    }
}
