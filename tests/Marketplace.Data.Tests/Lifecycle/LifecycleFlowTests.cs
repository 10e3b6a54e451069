using Marketplace.Core.Challenges;
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

        var id = await LifecycleHarness.Succeeds(h.Get<CreateChallengeDraftHandler>().HandleAsync(h.Enterprise, draft, null, None));
        await LifecycleHarness.Succeeds(h.Get<SubmitChallengeHandler>().HandleAsync(h.Enterprise, id, 1, None));
        var detail = (await h.Get<ChallengeStore>().FindAsync(id, None))!;
        var flags = await h.Get<NegativeListStore>().ScreenAsync(detail, None);
        var refused = await h.Get<PublishChallengeHandler>().HandleAsync(h.Officer, id, null, None);
        var published = await h.Get<PublishChallengeHandler>().HandleAsync(h.Officer, id, "Fatigue detection with works-council consent; no emotion scoring.", None);

        Assert.Contains(flags, f => f.LabelEn == "Emotion recognition used to monitor employees");
        Assert.Equal(ErrorKind.Invalid, refused.Error!.Kind);
        Assert.True(published.IsSuccess, published.Error?.Message);
        var afterPublish = (await h.Get<ChallengeStore>().FindAsync(id, None))!;
        Assert.Equal(ChallengeStatus.Published, afterPublish.Status);
        Assert.Equal(h.Clock.GetUtcNow(), afterPublish.PublishedAt);
        Assert.Equal(["https://files.example.cn/spec.pdf"], afterPublish.AttachmentLinks);
        Assert.Single(await h.Get<ChallengeLifecycleStore>().VersionsAsync(id, None));

        var questionId = await LifecycleHarness.Succeeds(h.Get<AskQuestionHandler>().HandleAsync(h.Vendor, id, "Are the labelled images available before the deadline?", None));
        var clarifications = h.Get<ClarificationStore>();
        Assert.Empty(await clarifications.ForChallengeAsync(id, h.OtherVendor.OrganisationIds, seesUnanswered: false, None));
        Assert.True(Assert.Single(await clarifications.ForChallengeAsync(id, h.Vendor.OrganisationIds, false, None)).AskedByMe);
        Assert.False(Assert.Single(await clarifications.ForChallengeAsync(id, h.Enterprise.OrganisationIds, true, None)).AskedByMe);

        await LifecycleHarness.Succeeds(h.Get<AnswerQuestionHandler>().HandleAsync(h.Enterprise, questionId, "Yes: 8,000 labelled images on request.", None));
        var seenByOther = Assert.Single(await clarifications.ForChallengeAsync(id, h.OtherVendor.OrganisationIds, false, None));
        Assert.Equal("Yes: 8,000 labelled images on request.", seenByOther.Answer);
        Assert.False(seenByOther.AskedByMe);

        h.Clock.Advance(TimeSpan.FromDays(21));
        var closedFirst = await h.Get<ChallengeCloser>().CloseDueChallengesAsync(h.Clock.GetUtcNow(), None);
        var closedAgain = await h.Get<ChallengeCloser>().CloseDueChallengesAsync(h.Clock.GetUtcNow(), None);

        Assert.Equal(1, closedFirst);
        Assert.Equal(0, closedAgain);
        Assert.Equal(ChallengeStatus.Closed, (await h.Get<ChallengeStore>().FindAsync(id, None))!.Status);

        var audit = await h.Get<AuditLog>().ForChallengeAsync(id, None);
        Assert.Equal(
            [ChallengeActions.Created, ChallengeActions.SubmittedForScreening, ChallengeActions.Published, ChallengeActions.Closed],
            audit.Select(a => a.Action));
        Assert.Equal("Fatigue detection with works-council consent; no emotion scoring.", audit[2].Reason);
        Assert.Equal((ChallengeStatus.Submitted, ChallengeStatus.Published), (audit[2].FromStatus, audit[2].ToStatus));
        Assert.Null(audit[3].ActorUserId);

        Assert.Equal([NotificationKinds.ChallengeSubmitted], await h.NotificationKindsForAsync(h.Officer.UserId));
        Assert.Equal([NotificationKinds.ChallengePublished, NotificationKinds.QuestionAsked, NotificationKinds.ChallengeClosed], await h.NotificationKindsForAsync(h.Enterprise.UserId));
        Assert.Equal([NotificationKinds.QuestionAnswered, NotificationKinds.ChallengeClosed], await h.NotificationKindsForAsync(h.Vendor.UserId));
        Assert.Empty(await h.NotificationKindsForAsync(h.OtherVendor.UserId));
        Assert.Equal(0, await h.CountAsync("SELECT COUNT(*) FROM notifications WHERE delivery_status <> 'pending'"));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task SaveFromAStaleForm_IsAConflict_AndOverwritesNothing(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var handler = h.Get<UpdateChallengeHandler>();
        var id = await LifecycleHarness.Succeeds(h.Get<CreateChallengeDraftHandler>().HandleAsync(h.Enterprise, LifecycleHarness.Draft(h.Clock.GetUtcNow().AddDays(20)), null, None));
        var draft = LifecycleHarness.Draft(h.Clock.GetUtcNow().AddDays(20));

        var first = await handler.HandleAsync(h.Enterprise, id, 1, draft with { Title = "First editor's title" }, null, None);
        var second = await handler.HandleAsync(h.Enterprise, id, 1, draft with { Title = "Second editor's title" }, null, None);

        Assert.Equal(2, first.Value!.RowVersion);
        Assert.Equal(ErrorKind.Conflict, second.Error!.Kind);
        Assert.Equal(UpdateChallengeHandler.StaleMessage, second.Error.Message);
        var stored = (await h.Get<ChallengeStore>().FindAsync(id, None))!;
        Assert.Equal("First editor's title", stored.Title);
        Assert.Equal(2, stored.RowVersion);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task IllegalTransitionsAndStrangers_ChangeNothing(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var id = await LifecycleHarness.Succeeds(h.Get<CreateChallengeDraftHandler>().HandleAsync(h.Enterprise, LifecycleHarness.Draft(h.Clock.GetUtcNow().AddDays(20)), null, None));

        var publishDraft = await h.Get<PublishChallengeHandler>().HandleAsync(h.Officer, id, null, None);
        var strangerSubmits = await h.Get<SubmitChallengeHandler>().HandleAsync(h.OtherEnterprise, id, null, None);
        var vendorPublishes = await h.Get<PublishChallengeHandler>().HandleAsync(h.Vendor, id, null, None);
        var returnWithoutReason = await h.Get<ReturnChallengeHandler>().HandleAsync(h.Officer, id, null, None);

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
        var id = await LifecycleHarness.Succeeds(h.Get<CreateChallengeDraftHandler>().HandleAsync(h.Enterprise, LifecycleHarness.Draft(h.Clock.GetUtcNow().AddDays(20)), null, None));
        await LifecycleHarness.Succeeds(h.Get<SubmitChallengeHandler>().HandleAsync(h.Enterprise, id, null, None));

        await LifecycleHarness.Succeeds(h.Get<ReturnChallengeHandler>().HandleAsync(h.Officer, id, "Give the data volume and where it lives.", None));
        var mine = await h.Get<ChallengeLifecycleStore>().ForEnterprisesAsync(h.Enterprise.OrganisationIds, None);
        var others = await h.Get<ChallengeLifecycleStore>().ForEnterprisesAsync(h.OtherEnterprise.OrganisationIds, None);

        var item = Assert.Single(mine);
        Assert.Equal(ChallengeStatus.Returned, item.Status);
        Assert.Equal("Give the data volume and where it lives.", item.StatusReason);
        Assert.Empty(others);
        Assert.Equal([NotificationKinds.ChallengeReturned], await h.NotificationKindsForAsync(h.Enterprise.UserId));

        await LifecycleHarness.Succeeds(h.Get<SubmitChallengeHandler>().HandleAsync(h.Enterprise, id, null, None));
        await LifecycleHarness.Succeeds(h.Get<RejectChallengeHandler>().HandleAsync(h.Officer, id, "Out of the programme's scope.", None));
        Assert.Equal("Out of the programme's scope.", (await h.Get<ChallengeStore>().FindAsync(id, None))!.StatusReason);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Nda_IsRecordedOncePerOrganisation_AndRequiredToAskOnAConfidentialChallenge(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var id = await h.PublishedChallengeAsync("confidential");
        var store = h.Get<ChallengeLifecycleStore>();

        var askFirst = await h.Get<AskQuestionHandler>().HandleAsync(h.Vendor, id, "What PLC do you run?", None);
        var before = await store.HasAcceptedNdaAsync(id, h.Vendor.OrganisationIds, None);
        var accepted = await LifecycleHarness.Succeeds(h.Get<AcceptNdaHandler>().HandleAsync(h.Vendor, id, null, None));
        var again = await LifecycleHarness.Succeeds(h.Get<AcceptNdaHandler>().HandleAsync(h.Vendor, id, null, None));
        var enterpriseAccepts = await h.Get<AcceptNdaHandler>().HandleAsync(h.Enterprise, id, null, None);
        var askAfter = await h.Get<AskQuestionHandler>().HandleAsync(h.Vendor, id, "What PLC do you run?", None);

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
        await LifecycleHarness.Succeeds(h.Get<AcceptNdaHandler>().HandleAsync(h.Vendor, id, null, None));
        var current = (await h.Get<ChallengeStore>().FindAsync(id, None))!;

        var saved = await LifecycleHarness.Succeeds(h.Get<UpdateChallengeHandler>().HandleAsync(h.Enterprise, id, current.RowVersion,
            LifecycleHarness.Draft(current.DeadlineAt.AddDays(7)) with { Visibility = "confidential" }, "Deadline extended by a week.", None));

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
        var questionId = await LifecycleHarness.Succeeds(h.Get<AskQuestionHandler>().HandleAsync(h.Vendor, id, "Is on-premise mandatory?", None));

        var otherEnterprise = await h.Get<AnswerQuestionHandler>().HandleAsync(h.OtherEnterprise, questionId, "No.", None);
        var vendor = await h.Get<AnswerQuestionHandler>().HandleAsync(h.OtherVendor, questionId, "No.", None);
        var empty = await h.Get<AnswerQuestionHandler>().HandleAsync(h.Officer, questionId, "  ", None);
        var officer = await h.Get<AnswerQuestionHandler>().HandleAsync(h.Officer, questionId, "Yes, on-premise only.", None);
        var twice = await h.Get<AnswerQuestionHandler>().HandleAsync(h.Enterprise, questionId, "Again.", None);
        h.Clock.Advance(TimeSpan.FromDays(3));
        var late = await h.Get<AskQuestionHandler>().HandleAsync(h.Vendor, id, "One more?", None);

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
