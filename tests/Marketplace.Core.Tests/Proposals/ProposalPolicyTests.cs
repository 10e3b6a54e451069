using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Proposals;
using Marketplace.Core.Proposals;

namespace Marketplace.Core.Tests.Proposals;

public sealed class ProposalPolicyTests
{
    private const long Enterprise = 10;
    private const long Vendor = 20;
    private const long OtherVendor = 21;

    private static readonly DateTimeOffset Deadline = new(2031, 6, 30, 10, 0, 0, TimeSpan.Zero);

    private static readonly Actor Owner = new(1, [Enterprise], [Roles.Enterprise]);
    private static readonly Actor Officer = new(2, [], [Roles.Officer]);
    private static readonly Actor Admin = new(3, [], [Roles.Admin]);
    private static readonly Actor Author = new(4, [Vendor], [Roles.Vendor]);
    private static readonly Actor OtherEnterpriseMember = new(5, [99], [Roles.Enterprise]);

    private static ChallengeDetail Challenge(string status = ChallengeStatus.Closed, string visibility = "public") =>
        new() { Id = 7, EnterpriseId = Enterprise, Status = status, Visibility = visibility, DeadlineAt = Deadline };

    [Fact]
    public void ListingProposals_IsForTheOwnerAndOfficers_FromTheDeadlineOn()
    {
        var after = Deadline.AddSeconds(1);
        Assert.Null(ProposalPolicy.AsListReader(Owner, Challenge(), 7, after));
        Assert.Null(ProposalPolicy.AsListReader(Officer, Challenge(), 7, after));
        Assert.Equal(ErrorKind.Forbidden, ProposalPolicy.AsListReader(Author, Challenge(), 7, after)!.Kind);
        Assert.Equal(ErrorKind.Forbidden, ProposalPolicy.AsListReader(Admin, Challenge(), 7, after)!.Kind);
        Assert.Equal(ErrorKind.Forbidden, ProposalPolicy.AsListReader(OtherEnterpriseMember, Challenge(), 7, after)!.Kind);
        Assert.Equal(ErrorKind.Conflict, ProposalPolicy.AsListReader(Owner, Challenge(ChallengeStatus.Published), 7, Deadline.AddTicks(-1))!.Kind);
        Assert.Equal(ProposalPolicy.Sealed, ProposalPolicy.AsListReader(Officer, Challenge(ChallengeStatus.Published), 7, Deadline.AddTicks(-1))!.Message);
    }

    [Fact]
    public void ListingProposals_OfAChallengeTheActorMayNotSee_IsNotFound()
    {
        Assert.Equal(ErrorKind.NotFound, ProposalPolicy.AsListReader(Owner, null, 7, Deadline)!.Kind);
        Assert.Equal(ErrorKind.NotFound, ProposalPolicy.AsListReader(OtherEnterpriseMember, Challenge(ChallengeStatus.Draft), 7, Deadline.AddDays(1))!.Kind);
        Assert.Equal(ErrorKind.Conflict, ProposalPolicy.AsListReader(Owner, Challenge(ChallengeStatus.Submitted), 7, Deadline.AddDays(1))!.Kind);
    }

    [Fact]
    public void OnlyTheAuthorOrganisation_ChangesAProposal_OthersAreToldItDoesNotExist()
    {
        var state = new ProposalState { Id = 3, VendorId = Vendor, Status = ProposalStatus.Submitted };
        Assert.Null(ProposalPolicy.AsAuthor(state, [new VendorOrganisation { Id = Vendor }], 3));
        Assert.Equal(ErrorKind.NotFound, ProposalPolicy.AsAuthor(state, [new VendorOrganisation { Id = OtherVendor }], 3)!.Kind);
        Assert.Equal(ErrorKind.NotFound, ProposalPolicy.AsAuthor(null, [new VendorOrganisation { Id = Vendor }], 3)!.Kind);
    }

    [Fact]
    public void StartingAProposal_NeedsAListedChallenge_AVendorOrganisation_AndTheNdaOfAConfidentialOne()
    {
        var vendors = new[] { new VendorOrganisation { Id = Vendor } };
        Assert.Equal(ErrorKind.NotFound, ProposalPolicy.AsNewAuthor(Challenge(ChallengeStatus.Draft), vendors, 7)!.Kind);
        Assert.Equal(ErrorKind.Forbidden, ProposalPolicy.AsNewAuthor(Challenge(ChallengeStatus.Published), [], 7)!.Kind);
        Assert.Null(ProposalPolicy.AsNewAuthor(Challenge(ChallengeStatus.Published), vendors, 7));
        Assert.Null(ProposalPolicy.MayPropose(Author, Challenge(ChallengeStatus.Published), ndaAccepted: false));
        Assert.Equal(ProposalPolicy.NdaRequired, ProposalPolicy.MayPropose(Author, Challenge(ChallengeStatus.Published, "confidential"), ndaAccepted: false));
        Assert.Null(ProposalPolicy.MayPropose(Author, Challenge(ChallengeStatus.Published, "confidential"), ndaAccepted: true));
    }

    [Fact]
    public void TheReader_IsAnOfficerOnlyWithTheOfficerRole_AndKnowsItsOrganisations()
    {
        var now = Deadline;
        Assert.True(ProposalPolicy.ReadsEveryChallenge(ProposalPolicy.Reader(Officer, now)));
        Assert.False(ProposalPolicy.ReadsEveryChallenge(ProposalPolicy.Reader(Admin, now)));
        Assert.Equal(ProposalViewer.Anonymous(now).OrganisationIds, ProposalPolicy.Reader(null, now).OrganisationIds);
        Assert.True(ProposalPolicy.IsAuthor(ProposalPolicy.Reader(Author, now), Vendor));
        Assert.False(ProposalPolicy.IsAuthor(ProposalPolicy.Reader(Author, now), OtherVendor));
    }

    [Fact]
    public void TheAuthor_MayChangeALiveProposal_OnlyWhileTheChallengeAcceptsChanges()
    {
        var proposal = new ProposalView { IsAuthor = true, Status = ProposalStatus.Submitted };
        var open = Challenge(ChallengeStatus.Published);
        Assert.True(ProposalPolicy.MayChange(Author, proposal, open, Deadline.AddTicks(-1)));
        Assert.False(ProposalPolicy.MayChange(Author, proposal, open, Deadline));
        Assert.False(ProposalPolicy.MayChange(Author, proposal with { Status = ProposalStatus.Withdrawn }, open, Deadline.AddDays(-1)));
        Assert.False(ProposalPolicy.MayChange(Author, proposal with { IsAuthor = false }, open, Deadline.AddDays(-1)));
        Assert.False(ProposalPolicy.MayChange(Owner, proposal, open, Deadline.AddDays(-1)));
    }
}
