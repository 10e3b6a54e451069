using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Notifications;
using Marketplace.Data.Audit;
using Marketplace.Data.Challenges;
using Marketplace.Data.Clarifications;
using Marketplace.Data.Notifications;
using Marketplace.Testing;

namespace Marketplace.Data.Tests.Lifecycle;

/// <summary>The lifecycle's handlers and stores on every engine: the state machine applied, audited and notified in one transaction.</summary>
public sealed class LifecycleFlowTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Draft_Submit_FlaggedPublishWithOverride_AskAnswer_Close_IsAuditedAndNotified(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var draft = LifecycleHarness.Draft(h.Clock.GetUtcNow().AddDays(20), "Cameras on the line run 情绪识别 on every 员工 to spot fatigue.");

        var id = await LifecycleHarness.Succeeds(h.Run(h.Get<CreateChallengeDraft>(), h.Enterprise, new CreateDraftRequest(draft, null)));
        await LifecycleHarness.Succeeds(h.Run(h.Get<SubmitChallenge>(), h.Enterprise, new ChallengeMove(id, ExpectedRowVersion: 1)));
        var detail = (await h.Get<ChallengeStore>().FindAsync(id, None))!;
        var flags = await h.Get<NegativeListStore>().ScreenAsync(detail, None);
        var refused = await h.Run(h.Get<PublishChallenge>(), h.Officer, new ChallengeMove(id, null));
        var published = await h.Run(h.Get<PublishChallenge>(), h.Officer, new ChallengeMove(id, "Fatigue detection with works-council consent; no emotion scoring."));

        Assert.Contains(flags, f => f.LabelEn == "Emotion recognition used to monitor employees");
        Assert.Equal(ErrorKind.Invalid, refused.Error!.Kind);
        Assert.True(published.IsSuccess, published.Error?.Message);
        var afterPublish = (await h.Get<ChallengeStore>().FindAsync(id, None))!;
        Assert.Equal(ChallengeStatus.Published, afterPublish.Status);
        Assert.Equal(h.Clock.GetUtcNow(), afterPublish.PublishedAt);
        Assert.Equal(["https://files.example.cn/spec.pdf"], afterPublish.AttachmentLinks);
        Assert.Single(await h.Get<ChallengeLifecycleStore>().VersionsAsync(id, None));

        var questionId = await LifecycleHarness.Succeeds(h.Run(h.Get<AskQuestion>(), h.Vendor, new AskQuestionRequest(id, "Are the labelled images available before the deadline?")));
        var clarifications = h.Get<ClarificationStore>();
        Assert.Empty(await clarifications.ForChallengeAsync(id, h.OtherVendor.OrganisationIds, seesUnanswered: false, None));
        Assert.True(Assert.Single(await clarifications.ForChallengeAsync(id, h.Vendor.OrganisationIds, false, None)).AskedByMe);
        Assert.False(Assert.Single(await clarifications.ForChallengeAsync(id, h.Enterprise.OrganisationIds, true, None)).AskedByMe);

        await LifecycleHarness.Succeeds(h.Run(h.Get<AnswerQuestion>(), h.Enterprise, new AnswerQuestionRequest(questionId, "Yes: 8,000 labelled images on request.")));
        var seenByOther = Assert.Single(await clarifications.ForChallengeAsync(id, h.OtherVendor.OrganisationIds, false, None));
        Assert.Equal("Yes: 8,000 labelled images on request.", seenByOther.Answer);
        Assert.False(seenByOther.AskedByMe);

        h.Clock.Advance(TimeSpan.FromDays(21));
        var closedFirst = await h.Get<ChallengeCloser>().CloseDueChallengesAsync(None);
        var closedAgain = await h.Get<ChallengeCloser>().CloseDueChallengesAsync(None);

        Assert.Equal(1, closedFirst);
        Assert.Equal(0, closedAgain);
        // Nobody bid: the challenge ends without an award at once instead of waiting in "closed" for a review of nothing.
        var ended = (await h.Get<ChallengeStore>().FindAsync(id, None))!;
        Assert.Equal(ChallengeStatus.NotAwarded, ended.Status);
        Assert.Equal(ChallengeWorkflow.NoProposalsReason, ended.StatusReason);

        var audit = await h.Get<AuditLog>().ForChallengeAsync(id, None);
        Assert.Equal(
            [ChallengeActions.Created, ChallengeActions.SubmittedForScreening, ChallengeActions.Published, ChallengeActions.ClosedWithoutProposals],
            audit.Select(a => a.Action));
        Assert.Equal("Fatigue detection with works-council consent; no emotion scoring.", audit[2].Reason);
        Assert.Equal((ChallengeStatus.Submitted, ChallengeStatus.Published), (audit[2].FromStatus, audit[2].ToStatus));
        Assert.Null(audit[3].ActorUserId);

        Assert.Equal([NotificationKinds.ChallengeSubmitted], await h.NotificationKindsForAsync(h.Officer.UserId));
        Assert.Equal([NotificationKinds.ChallengePublished, NotificationKinds.QuestionAsked, NotificationKinds.ChallengeClosedWithoutProposals], await h.NotificationKindsForAsync(h.Enterprise.UserId));
        Assert.Equal([NotificationKinds.QuestionAnswered, NotificationKinds.ChallengeClosed], await h.NotificationKindsForAsync(h.Vendor.UserId));
        Assert.Empty(await h.NotificationKindsForAsync(h.OtherVendor.UserId));
        Assert.Equal(0, await h.CountAsync("SELECT COUNT(*) FROM notifications WHERE delivery_status <> 'pending'"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task SaveFromAStaleForm_IsAConflict_AndOverwritesNothing(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var id = await LifecycleHarness.Succeeds(h.Run(h.Get<CreateChallengeDraft>(), h.Enterprise, new CreateDraftRequest(LifecycleHarness.Draft(h.Clock.GetUtcNow().AddDays(20)), null)));
        var draft = LifecycleHarness.Draft(h.Clock.GetUtcNow().AddDays(20));

        var first = await h.Run(h.Get<UpdateChallenge>(), h.Enterprise, new UpdateChallengeRequest(id, 1, draft with { Title = "First editor's title" }, null));
        var second = await h.Run(h.Get<UpdateChallenge>(), h.Enterprise, new UpdateChallengeRequest(id, 1, draft with { Title = "Second editor's title" }, null));

        Assert.Equal(2, first.Value!.RowVersion);
        Assert.Equal(ErrorKind.Conflict, second.Error!.Kind);
        Assert.Equal(ChallengeMoveUseCase.StaleMessage, second.Error.Message);
        var stored = (await h.Get<ChallengeStore>().FindAsync(id, None))!;
        Assert.Equal("First editor's title", stored.Title);
        Assert.Equal(2, stored.RowVersion);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task IllegalTransitionsAndStrangers_ChangeNothing(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var id = await LifecycleHarness.Succeeds(h.Run(h.Get<CreateChallengeDraft>(), h.Enterprise, new CreateDraftRequest(LifecycleHarness.Draft(h.Clock.GetUtcNow().AddDays(20)), null)));

        var publishDraft = await h.Run(h.Get<PublishChallenge>(), h.Officer, new ChallengeMove(id, null));
        var strangerSubmits = await h.Run(h.Get<SubmitChallenge>(), h.OtherEnterprise, new ChallengeMove(id, ExpectedRowVersion: null));
        var vendorPublishes = await h.Run(h.Get<PublishChallenge>(), h.Vendor, new ChallengeMove(id, null));
        var returnWithoutReason = await h.Run(h.Get<ReturnChallenge>(), h.Officer, new ChallengeMove(id, null));

        Assert.Equal(ErrorKind.Conflict, publishDraft.Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, strangerSubmits.Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, vendorPublishes.Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, returnWithoutReason.Error!.Kind);
        Assert.Equal(ChallengeStatus.Draft, (await h.Get<ChallengeStore>().FindAsync(id, None))!.Status);
        Assert.Equal(1, await h.CountAsync("SELECT COUNT(*) FROM challenge_audit WHERE challenge_id = @Id", new { Id = id }));
        Assert.Equal(0, await h.CountAsync("SELECT COUNT(*) FROM notifications"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task ReturnAndReject_KeepTheReasonForTheEnterprise(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var id = await LifecycleHarness.Succeeds(h.Run(h.Get<CreateChallengeDraft>(), h.Enterprise, new CreateDraftRequest(LifecycleHarness.Draft(h.Clock.GetUtcNow().AddDays(20)), null)));
        await LifecycleHarness.Succeeds(h.Run(h.Get<SubmitChallenge>(), h.Enterprise, new ChallengeMove(id, ExpectedRowVersion: null)));

        await LifecycleHarness.Succeeds(h.Run(h.Get<ReturnChallenge>(), h.Officer, new ChallengeMove(id, "Give the data volume and where it lives.")));
        var mine = await h.Get<ChallengeLifecycleStore>().ForEnterprisesAsync(h.Enterprise.OrganisationIds, None);
        var others = await h.Get<ChallengeLifecycleStore>().ForEnterprisesAsync(h.OtherEnterprise.OrganisationIds, None);

        var item = Assert.Single(mine);
        Assert.Equal(ChallengeStatus.Returned, item.Status);
        Assert.Equal("Give the data volume and where it lives.", item.StatusReason);
        Assert.Empty(others);
        Assert.Equal([NotificationKinds.ChallengeReturned], await h.NotificationKindsForAsync(h.Enterprise.UserId));

        await LifecycleHarness.Succeeds(h.Run(h.Get<SubmitChallenge>(), h.Enterprise, new ChallengeMove(id, ExpectedRowVersion: null)));
        await LifecycleHarness.Succeeds(h.Run(h.Get<RejectChallenge>(), h.Officer, new ChallengeMove(id, "Out of the programme's scope.")));
        Assert.Equal("Out of the programme's scope.", (await h.Get<ChallengeStore>().FindAsync(id, None))!.StatusReason);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Nda_IsRecordedOncePerOrganisation_AndRequiredToAskOnAConfidentialChallenge(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var id = await h.PublishedChallengeAsync("confidential");
        var store = h.Get<ChallengeLifecycleStore>();

        var askFirst = await h.Run(h.Get<AskQuestion>(), h.Vendor, new AskQuestionRequest(id, "What PLC do you run?"));
        var before = await store.HasAcceptedNdaAsync(id, h.Vendor.OrganisationIds, None);
        var accepted = await LifecycleHarness.Succeeds(h.Run(h.Get<AcceptNda>(), h.Vendor, new AcceptNdaRequest(id, null)));
        var again = await LifecycleHarness.Succeeds(h.Run(h.Get<AcceptNda>(), h.Vendor, new AcceptNdaRequest(id, null)));
        var enterpriseAccepts = await h.Run(h.Get<AcceptNda>(), h.Enterprise, new AcceptNdaRequest(id, null));
        var askAfter = await h.Run(h.Get<AskQuestion>(), h.Vendor, new AskQuestionRequest(id, "What PLC do you run?"));

        Assert.Equal(ErrorKind.Forbidden, askFirst.Error!.Kind);
        Assert.False(before);
        Assert.True(accepted);
        Assert.False(again);
        Assert.Equal(ErrorKind.Forbidden, enterpriseAccepts.Error!.Kind);
        Assert.True(await store.HasAcceptedNdaAsync(id, h.Vendor.OrganisationIds, None));
        Assert.False(await store.HasAcceptedNdaAsync(id, h.OtherVendor.OrganisationIds, None));
        Assert.True(askAfter.IsSuccess);
        Assert.Equal(1, await h.CountAsync("SELECT COUNT(*) FROM challenge_nda_acceptances WHERE user_id = @UserId", new { h.Vendor.UserId }));
        var ndaAudit = Assert.Single(await h.Get<AuditLog>().ForChallengeAsync(id, None), a => a.Action == ChallengeActions.NdaAccepted);
        Assert.Equal(h.Vendor.UserId, ndaAudit.ActorUserId);
        Assert.Equal((ChallengeStatus.Published, ChallengeStatus.Published), (ndaAudit.FromStatus, ndaAudit.ToStatus));
        Assert.Contains("Organisation of lead@vision.example", ndaAudit.Reason, StringComparison.Ordinal);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task EditingAPublishedChallenge_KeepsAVersion_AndNotifiesFollowingVendors(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var id = await h.PublishedChallengeAsync("confidential");
        await LifecycleHarness.Succeeds(h.Run(h.Get<AcceptNda>(), h.Vendor, new AcceptNdaRequest(id, null)));
        var current = (await h.Get<ChallengeStore>().FindAsync(id, None))!;

        var saved = await LifecycleHarness.Succeeds(h.Run(h.Get<UpdateChallenge>(), h.Enterprise, new UpdateChallengeRequest(id, current.RowVersion, LifecycleHarness.Draft(current.DeadlineAt.AddDays(7)) with { Visibility = "confidential" }, "Deadline extended by a week.")));

        Assert.Equal(2, saved.PublishedVersion);
        var versions = await h.Get<ChallengeLifecycleStore>().VersionsAsync(id, None);
        Assert.Equal([1, 2], versions.Select(v => v.VersionNumber));
        Assert.Equal("Deadline extended by a week.", versions[1].ChangeNote);
        Assert.Equal([NotificationKinds.ChallengeRevised], await h.NotificationKindsForAsync(h.Vendor.UserId));
        Assert.Empty(await h.NotificationKindsForAsync(h.OtherVendor.UserId));
        Assert.Equal(ChallengeStatus.Published, (await h.Get<ChallengeStore>().FindAsync(id, None))!.Status);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AskingAfterTheDeadline_IsRefused_AndAnsweringIsForTheEnterpriseOrOfficers(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var id = await h.PublishedChallengeAsync(openFor: TimeSpan.FromDays(2));
        var questionId = await LifecycleHarness.Succeeds(h.Run(h.Get<AskQuestion>(), h.Vendor, new AskQuestionRequest(id, "Is on-premise mandatory?")));

        var otherEnterprise = await h.Run(h.Get<AnswerQuestion>(), h.OtherEnterprise, new AnswerQuestionRequest(questionId, "No."));
        var vendor = await h.Run(h.Get<AnswerQuestion>(), h.OtherVendor, new AnswerQuestionRequest(questionId, "No."));
        var empty = await h.Run(h.Get<AnswerQuestion>(), h.Officer, new AnswerQuestionRequest(questionId, "  "));
        var officer = await h.Run(h.Get<AnswerQuestion>(), h.Officer, new AnswerQuestionRequest(questionId, "Yes, on-premise only."));
        var twice = await h.Run(h.Get<AnswerQuestion>(), h.Enterprise, new AnswerQuestionRequest(questionId, "Again."));
        h.Clock.Advance(TimeSpan.FromDays(3));
        var late = await h.Run(h.Get<AskQuestion>(), h.Vendor, new AskQuestionRequest(id, "One more?"));

        Assert.Equal(ErrorKind.Forbidden, otherEnterprise.Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, vendor.Error!.Kind);
        Assert.Equal(ErrorKind.Invalid, empty.Error!.Kind);
        Assert.True(officer.IsSuccess);
        Assert.Equal(ErrorKind.Conflict, twice.Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, late.Error!.Kind);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task NegativeList_IsSeeded_AndOfficersEditIt(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var store = h.Get<NegativeListStore>();

        var seeded = await store.AllAsync(activeOnly: true, None);
        var added = await store.AddAsync(h.Officer.UserId, "工人 + 行为评分", "工人行为评分", "Behavioural scoring of workers", None);
        var invalid = await store.AddAsync(h.Officer.UserId, "", "x", "y", None);
        await LifecycleHarness.Succeeds(store.UpdateAsync(h.Officer.UserId, added.Value, "工人 + 行为评分", "工人行为评分", "Behavioural scoring of workers", false, None));

        Assert.Contains(seeded, e => e.Phrase == "深度伪造");
        Assert.Contains(seeded, e => e.Phrase == "social scoring");
        Assert.Equal(ErrorKind.Invalid, invalid.Error!.Kind);
        Assert.DoesNotContain(await store.AllAsync(activeOnly: true, None), e => e.Id == added.Value);
        Assert.False((await store.AllAsync(activeOnly: false, None)).Single(e => e.Id == added.Value).IsActive);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Notifications_AreReadOnlyByTheirRecipient(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        await h.PublishedChallengeAsync();
        var store = h.Get<NotificationStore>();
        var mine = (await store.ForUserAsync(h.Enterprise.UserId, new PageRequest(1, 20), None)).Items.Single();

        var stranger = await store.MarkReadAsync(h.Vendor.UserId, mine.Id, h.Clock.GetUtcNow(), None);
        var owner = await store.MarkReadAsync(h.Enterprise.UserId, mine.Id, h.Clock.GetUtcNow(), None);

        Assert.False(stranger);
        Assert.True(owner);
        Assert.Equal(0, await store.UnreadCountAsync(h.Enterprise.UserId, None));
        Assert.StartsWith("已发布", mine.Title, StringComparison.Ordinal);
    }
}
