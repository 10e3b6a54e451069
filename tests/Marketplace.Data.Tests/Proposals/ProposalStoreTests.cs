using Marketplace.Core.Common;
using Marketplace.Core.Proposals;
using Marketplace.Data.Proposals;
using Marketplace.Testing;

namespace Marketplace.Data.Tests.Proposals;

/// <summary>The proposal store and handlers on every engine, sealing first.</summary>
public sealed class ProposalStoreTests
{
    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Submit_WritesProposalVersionAndPriceEnvelope_WithAReceiptThatMatchesTheStoredRows(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);

        var result = await h.SubmitAsync(input: ProposalsHarness.Complete(price: 1_234_567.89m) with { Partners = ["ven-routes"] });

        Assert.True(result.IsSuccess, result.Error?.Message);
        var receipt = result.Value!.Receipt!;
        Assert.Equal(1, receipt.VersionNumber);
        Assert.Equal(h.Clock.GetUtcNow().ToUnixTimeMilliseconds(), receipt.SubmittedAt.ToUnixTimeMilliseconds());
        Assert.Matches("^[0-9a-f]{64}$", receipt.Fingerprint);
        Assert.Equal(receipt.Fingerprint, await h.Store.RecomputeFingerprintAsync(receipt.ProposalId, 1, CancellationToken.None));

        var mine = await h.Store.FindAsync(receipt.ProposalId, h.Author, CancellationToken.None);
        Assert.NotNull(mine);
        Assert.Equal(ProposalStatus.Submitted, mine.Status);
        Assert.Equal(1_234_567.89m, mine.Price!.Amount);
        Assert.Equal("CNY", mine.Price.Currency);
        Assert.Equal(["Routing Labs"], mine.Technical.Partners.Select(p => p.Name));
        Assert.Equal(["99.1% recall on our data.", "0.6% false alarms."], mine.Technical.TargetAnswers.Select(a => a.Answer));
        Assert.Equal(new DateOnly(2031, 6, 1), mine.Technical.Milestones[0].DueOn);
        Assert.Equal(receipt, mine.Receipt);
        Assert.Equal([receipt], mine.Versions);
        Assert.Equal("1,1,1,1,0|submitted", await h.CountsAsync());
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task BeforeTheDeadline_OnlyTheAuthorOrganisationSeesTheProposal(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        var id = (await h.SubmitAsync()).Value!.ProposalId;

        Assert.NotNull(await h.Store.FindAsync(id, h.Author, CancellationToken.None));
        foreach (var viewer in new[] { h.Enterprise, h.Officer, h.Admin, h.OtherVendor, h.OtherEnterprise, h.Anonymous })
        {
            Assert.Null(await h.Store.FindAsync(id, viewer, CancellationToken.None));
            Assert.Empty(await h.Store.ListForChallengeAsync(h.ChallengeId, viewer, CancellationToken.None));
            Assert.Empty(await h.Store.ListMineAsync(viewer, CancellationToken.None));
            Assert.Empty(await h.Store.OpenedPriceEnvelopesAsync(h.ChallengeId, viewer, CancellationToken.None));
            Assert.Null(await h.Store.AuthorVersionAsync(id, 1, viewer, CancellationToken.None));
        }

        Assert.Single(await h.Store.ListMineAsync(h.Author, CancellationToken.None));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task OneTickBeforeTheDeadline_TheEnterpriseAndOfficersStillSeeNothing(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        var id = (await h.SubmitAsync()).Value!.ProposalId;
        h.Clock.Advance(h.Deadline - h.Clock.GetUtcNow() - TimeSpan.FromMilliseconds(1));

        Assert.Null(await h.Store.FindAsync(id, h.Enterprise, CancellationToken.None));
        Assert.Null(await h.Store.FindAsync(id, h.Officer, CancellationToken.None));

        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await h.Store.FindAsync(id, h.Enterprise, CancellationToken.None));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AfterTheDeadline_EnterpriseAndOfficersSeeTheTechnicalEnvelopeButNotThePrice(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        var id = (await h.SubmitAsync()).Value!.ProposalId;
        h.PassTheDeadline();

        foreach (var viewer in new[] { h.Enterprise, h.Officer })
        {
            var seen = await h.Store.FindAsync(id, viewer, CancellationToken.None);
            Assert.NotNull(seen);
            Assert.False(seen.IsAuthor);
            Assert.Equal("Line-scan cameras and a segmentation model.", seen.Technical.Approach);
            Assert.Null(seen.Price);
            Assert.Empty(seen.Versions);
            var listed = Assert.Single(await h.Store.ListForChallengeAsync(h.ChallengeId, viewer, CancellationToken.None));
            Assert.Null(listed.Price);
            Assert.Empty(await h.Store.OpenedPriceEnvelopesAsync(h.ChallengeId, viewer, CancellationToken.None));
        }

        foreach (var viewer in new[] { h.OtherVendor, h.OtherEnterprise, h.Admin, h.Anonymous })
        {
            Assert.Null(await h.Store.FindAsync(id, viewer, CancellationToken.None));
            Assert.Empty(await h.Store.ListForChallengeAsync(h.ChallengeId, viewer, CancellationToken.None));
        }

        Assert.NotNull((await h.Store.FindAsync(id, h.Author, CancellationToken.None))!.Price);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task PriceEnvelopes_OpenOnlyAfterTheDeadline_ThenOfficersAndTheEnterpriseSeePrices(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        var id = (await h.SubmitAsync()).Value!.ProposalId;

        var early = await h.OpenPricesAsync();
        Assert.Equal(ErrorKind.Conflict, early.Error!.Kind);
        Assert.Null(await h.Store.PriceEnvelopesOpenedAtAsync(h.ChallengeId, CancellationToken.None));

        h.PassTheDeadline();
        Assert.Equal(ErrorKind.Forbidden, (await h.OpenPricesAsync(isOfficer: false)).Error!.Kind);
        // Opening the price envelopes is closing technical scoring: refused until every proposal is reviewed.
        Assert.Equal(ErrorKind.Conflict, (await h.OpenPricesAsync()).Error!.Kind);
        Assert.Null(await h.Store.PriceEnvelopesOpenedAtAsync(h.ChallengeId, CancellationToken.None));
        await h.ReviewAllAsync();
        var opened = await h.OpenPricesAsync();
        Assert.True(opened.IsSuccess, opened.Error?.Message);
        Assert.Equal(1, opened.Value!.ProposalCount);
        Assert.Equal(ErrorKind.Conflict, (await h.OpenPricesAsync()).Error!.Kind);

        foreach (var viewer in new[] { h.Officer, h.Enterprise })
        {
            Assert.Equal(980_000m, (await h.Store.FindAsync(id, viewer, CancellationToken.None))!.Price!.Amount);
            Assert.Equal(980_000m, (await h.Store.OpenedPriceEnvelopesAsync(h.ChallengeId, viewer, CancellationToken.None))[id].Amount);
            Assert.NotNull((await h.Store.ListForChallengeAsync(h.ChallengeId, viewer, CancellationToken.None))[0].Price);
        }

        Assert.Empty(await h.Store.OpenedPriceEnvelopesAsync(h.ChallengeId, h.OtherEnterprise, CancellationToken.None));
        Assert.Empty(await h.Store.OpenedPriceEnvelopesAsync(h.ChallengeId, h.OtherVendor, CancellationToken.None));
        Assert.Null(await h.Store.FindAsync(id, h.OtherVendor, CancellationToken.None));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Revise_KeepsEveryVersion_AndTheLatestCounts(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        var first = (await h.SubmitAsync()).Value!;
        h.Clock.Advance(TimeSpan.FromHours(1));

        var second = await h.ReviseAsync(first.ProposalId, ProposalsHarness.Complete("Revised approach.", 900_000m));

        Assert.True(second.IsSuccess, second.Error?.Message);
        Assert.Equal(2, second.Value!.Receipt!.VersionNumber);
        Assert.NotEqual(first.Receipt!.Fingerprint, second.Value.Receipt.Fingerprint);
        Assert.Equal(first.Receipt.Fingerprint, await h.Store.RecomputeFingerprintAsync(first.ProposalId, 1, CancellationToken.None));
        Assert.Equal(second.Value.Receipt.Fingerprint, await h.Store.RecomputeFingerprintAsync(first.ProposalId, 2, CancellationToken.None));
        var mine = (await h.Store.FindAsync(first.ProposalId, h.Author, CancellationToken.None))!;
        Assert.Equal([2, 1], mine.Versions.Select(v => v.VersionNumber));
        Assert.Equal("Line-scan cameras and a segmentation model.", (await h.Store.AuthorVersionAsync(first.ProposalId, 1, h.Author, CancellationToken.None))!.Approach);

        h.PassTheDeadline();
        await h.ReviewAllAsync();
        Assert.True((await h.OpenPricesAsync()).IsSuccess);
        var seen = (await h.Store.FindAsync(first.ProposalId, h.Enterprise, CancellationToken.None))!;
        Assert.Equal(2, seen.CurrentVersion);
        Assert.Equal("Revised approach.", seen.Technical.Approach);
        Assert.Equal(900_000m, seen.Price!.Amount);
        Assert.Null(await h.Store.AuthorVersionAsync(first.ProposalId, 1, h.Enterprise, CancellationToken.None));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AfterTheDeadline_SubmitReviseAndWithdraw_AreRefusedAndChangeNothing(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        var id = (await h.SubmitAsync()).Value!.ProposalId;
        var other = await h.UserAsync(h.OtherVendorId);
        h.PassTheDeadline();
        var before = await h.CountsAsync();

        var submit = await h.SubmitAsync(userId: other);
        var revise = await h.ReviseAsync(id, ProposalsHarness.Complete("Too late"));
        var withdraw = await h.WithdrawAsync(id);

        foreach (var result in new[] { submit, revise, withdraw })
        {
            Assert.Equal(ErrorKind.Conflict, result.Error!.Kind);
            Assert.Equal(ProposalRules.DeadlinePassed, result.Error.Message);
        }

        Assert.Equal(before, await h.CountsAsync());
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AVendor_HasAtMostOneLiveProposalPerChallenge_ButMayStartAgainAfterWithdrawing(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        var first = (await h.SubmitAsync()).Value!.ProposalId;

        var second = await h.SubmitAsync(asDraft: true);
        Assert.Equal(ErrorKind.Conflict, second.Error!.Kind);
        Assert.Equal("1,1,1,0,0|submitted", await h.CountsAsync());

        Assert.True((await h.WithdrawAsync(first)).IsSuccess);
        Assert.Equal(ErrorKind.Conflict, (await h.WithdrawAsync(first)).Error!.Kind);
        var again = await h.SubmitAsync();
        Assert.True(again.IsSuccess, again.Error?.Message);
        Assert.Equal("2,2,2,0,0|withdrawn,submitted", await h.CountsAsync());
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Withdrawn_AndDraftProposals_NeverReachTheEnterprise(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        var withdrawn = (await h.SubmitAsync()).Value!.ProposalId;
        await h.WithdrawAsync(withdrawn);
        var otherUser = await h.UserAsync(h.OtherVendorId);
        var draft = (await h.SubmitAsync(userId: otherUser, input: new ProposalInput { Approach = "Half done" }, asDraft: true)).Value!;
        Assert.Equal(ProposalStatus.Draft, draft.Status);
        Assert.Null(draft.Receipt);
        h.PassTheDeadline();

        Assert.Null(await h.Store.FindAsync(withdrawn, h.Enterprise, CancellationToken.None));
        Assert.Null(await h.Store.FindAsync(draft.ProposalId, h.Officer, CancellationToken.None));
        Assert.Empty(await h.Store.ListForChallengeAsync(h.ChallengeId, h.Officer, CancellationToken.None));
        Assert.Equal(ProposalStatus.Withdrawn, (await h.Store.FindAsync(withdrawn, h.Author, CancellationToken.None))!.Status);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task ADraft_IsSavedIncomplete_ThenSubmittedAsVersionOne(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        var draft = (await h.SubmitAsync(input: new ProposalInput { Approach = "First notes", PriceAmount = 5m }, asDraft: true)).Value!;
        var saved = await h.ReviseAsync(draft.ProposalId, new ProposalInput { Approach = "Better notes" }, asDraft: true);
        Assert.True(saved.IsSuccess, saved.Error?.Message);
        Assert.Equal("Better notes", (await h.Store.FindAsync(draft.ProposalId, h.Author, CancellationToken.None))!.Technical.Approach);

        var incomplete = await h.ReviseAsync(draft.ProposalId, new ProposalInput { Approach = "Better notes" });
        Assert.Equal(ErrorKind.Invalid, incomplete.Error!.Kind);

        var submitted = await h.ReviseAsync(draft.ProposalId, ProposalsHarness.Complete());
        Assert.True(submitted.IsSuccess, submitted.Error?.Message);
        Assert.Equal(1, submitted.Value!.Receipt!.VersionNumber);
        Assert.Equal(submitted.Value.Receipt.Fingerprint, await h.Store.RecomputeFingerprintAsync(draft.ProposalId, 1, CancellationToken.None));
        Assert.Equal("1,1,1,0,0|submitted", await h.CountsAsync());

        Assert.Equal(ErrorKind.Conflict, (await h.ReviseAsync(draft.ProposalId, ProposalsHarness.Complete(), asDraft: true)).Error!.Kind);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task AnotherVendor_CannotReviseOrWithdraw_AndIsToldTheProposalDoesNotExist(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        var id = (await h.SubmitAsync()).Value!.ProposalId;
        var before = await h.CountsAsync();

        Assert.Equal(ErrorKind.NotFound, (await h.ReviseAsync(id, ProposalsHarness.Complete("Hijack"), userId: h.OtherVendorUser)).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await h.WithdrawAsync(id, h.OtherVendorUser)).Error!.Kind);
        Assert.Equal(before, await h.CountsAsync());
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Consortium_NamesRegisteredVendorsOnly_NotTheLeadAndNotUnknownOnes(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);

        var result = await h.SubmitAsync(input: ProposalsHarness.Complete() with { Partners = ["ven-routes", "no-such-vendor", "ven-vision"] });

        Assert.Equal(ErrorKind.Invalid, result.Error!.Kind);
        Assert.Equal(["partners[1]", "partners[2]"], result.Error.FieldErrors!.Keys.Order());
        Assert.Equal("0,0,0,0,0|", await h.CountsAsync());
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task Consortium_APartnerTypedByNameInAnyCase_IsFoundByTheStore(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);

        var result = await h.SubmitAsync(input: ProposalsHarness.Complete() with { Partners = ["ROUTING labs"] });

        Assert.True(result.IsSuccess, result.Error?.Message);
        var mine = await h.Store.FindAsync(result.Value!.ProposalId, h.Author, CancellationToken.None);
        Assert.Equal([("ven-routes", "Routing Labs")], mine!.Technical.Partners.Select(p => (p.Slug, p.Name)));
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task BadInput_CreatesNothing(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);

        var result = await h.SubmitAsync(input: ProposalsHarness.Complete() with { DeliveryTrl = 3 });

        Assert.Equal(ErrorKind.Invalid, result.Error!.Kind);
        Assert.Contains("deliveryTrl", result.Error.FieldErrors!.Keys);
        Assert.Equal("0,0,0,0,0|", await h.CountsAsync());
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres), OnEngine(TestEngines.SqlServer)]
    public async Task ConfidentialWithoutNda_OrUnpublishedChallenges_RefuseProposals(string engine)
    {
        await using var h = await ProposalsHarness.CreateAsync(engine);
        var draftChallenge = await h.ChallengeAsync(h.Deadline, Core.Challenges.ChallengeStatus.Draft);
        var confidential = await h.ChallengeAsync(h.Deadline, visibility: "confidential");

        // The use case reads the NDA itself: the vendor's organisation never accepted this challenge's terms.
        var nda = await h.SubmitAsync(challengeId: confidential);
        var unpublished = await h.SubmitAsync(challengeId: draftChallenge);
        var officerNoVendor = await h.SubmitAsync(userId: h.OfficerUser);

        Assert.Equal(ErrorKind.Forbidden, nda.Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, unpublished.Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, officerNoVendor.Error!.Kind);
        Assert.Equal("0,0,0,0,0|", await h.CountsAsync());
    }
}
