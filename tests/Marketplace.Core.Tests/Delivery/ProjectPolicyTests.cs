using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Features.Delivery;

namespace Marketplace.Core.Tests.Delivery;

/// <summary>Who sees and acts on a delivery project: the two parties and officers; NotFound for others, Forbidden outside one's part.</summary>
public sealed class ProjectPolicyTests
{
    private const long EnterpriseOrg = 10;
    private const long VendorOrg = 20;
    private static readonly ProjectState Project = new() { Id = 1, ChallengeId = 5, EnterpriseId = EnterpriseOrg, VendorId = VendorOrg, Status = "active" };
    private static readonly Error Hidden = Error.NotFound("There is no milestone 7.");

    private static readonly Actor Enterprise = new(1, [EnterpriseOrg], [Roles.Enterprise]);
    private static readonly Actor Vendor = new(2, [VendorOrg], [Roles.Vendor]);
    private static readonly Actor Officer = new(3, [], [Roles.Officer]);
    private static readonly Actor Admin = new(4, [], [Roles.Admin]);
    private static readonly Actor OtherVendor = new(5, [99], [Roles.Vendor]);
    private static readonly Actor VendorRoleInEnterpriseOrg = new(6, [EnterpriseOrg], [Roles.Vendor]);

    public static TheoryData<string, ProjectPart, ErrorKind?> Matrix => new()
    {
        { "enterprise", ProjectPart.Viewer, null }, { "enterprise", ProjectPart.Vendor, ErrorKind.Forbidden }, { "enterprise", ProjectPart.Enterprise, null },
        { "enterprise", ProjectPart.Party, null }, { "enterprise", ProjectPart.Officer, ErrorKind.Forbidden },
        { "vendor", ProjectPart.Viewer, null }, { "vendor", ProjectPart.Vendor, null }, { "vendor", ProjectPart.Enterprise, ErrorKind.Forbidden },
        { "vendor", ProjectPart.Party, null }, { "vendor", ProjectPart.Officer, ErrorKind.Forbidden },
        { "officer", ProjectPart.Viewer, null }, { "officer", ProjectPart.Vendor, ErrorKind.Forbidden }, { "officer", ProjectPart.Enterprise, ErrorKind.Forbidden },
        { "officer", ProjectPart.Party, ErrorKind.Forbidden }, { "officer", ProjectPart.Officer, null },
        { "admin", ProjectPart.Viewer, ErrorKind.NotFound }, { "admin", ProjectPart.Officer, ErrorKind.NotFound },
        { "other vendor", ProjectPart.Viewer, ErrorKind.NotFound }, { "other vendor", ProjectPart.Vendor, ErrorKind.NotFound },
        { "vendor role in the enterprise", ProjectPart.Enterprise, ErrorKind.NotFound },
        { "signed out", ProjectPart.Viewer, ErrorKind.NotFound },
    };

    [Theory, MemberData(nameof(Matrix))]
    public void Authorise_PartiesAndOfficersSeeTheProject_OthersGetNotFound_AndActingOutsideOnesPartIsForbidden(string who, ProjectPart part, ErrorKind? expected)
    {
        var error = ProjectPolicy.Authorise(ActorNamed(who), Project, part, Hidden);
        Assert.Equal(expected, error?.Kind);
        if (expected == ErrorKind.NotFound)
        {
            Assert.Same(Hidden, error);
        }
    }

    [Fact]
    public void Authorise_AMissingProject_IsTheGivenNotFound_EvenForOfficers() =>
        Assert.Same(Hidden, ProjectPolicy.Authorise(Officer, null, ProjectPart.Officer, Hidden));

    [Fact]
    public void ScopeOf_IsTheSameRuleAsMaySee_ForLists()
    {
        Assert.True(ProjectPolicy.ScopeOf(Officer).Everything);
        Assert.Equal(new long[] { VendorOrg }, ProjectPolicy.ScopeOf(Vendor).VendorOrganisations);
        Assert.Empty(ProjectPolicy.ScopeOf(Vendor).EnterpriseOrganisations);
        Assert.Equal(new long[] { EnterpriseOrg }, ProjectPolicy.ScopeOf(Enterprise).EnterpriseOrganisations);
        Assert.Empty(ProjectPolicy.ScopeOf(Enterprise).VendorOrganisations);
        foreach (var scope in new[] { ProjectPolicy.ScopeOf(Admin), ProjectPolicy.ScopeOf(null) })
        {
            Assert.False(scope.Everything);
            Assert.Empty(scope.VendorOrganisations);
            Assert.Empty(scope.EnterpriseOrganisations);
        }
    }

    [Fact]
    public void AsStarter_OfficersAndTheOwningEnterpriseStartDelivery_AdministratorsAreForbidden_OthersAsForAnyChallenge()
    {
        var challenge = new ChallengeState { Id = 5, EnterpriseId = EnterpriseOrg, Status = ChallengeStatus.Awarded };
        Assert.Null(ProjectPolicy.AsStarter(Officer, challenge, 5));
        Assert.Null(ProjectPolicy.AsStarter(Enterprise, challenge, 5));
        Assert.Equal(ErrorKind.Forbidden, ProjectPolicy.AsStarter(Admin, challenge, 5)!.Kind);
        Assert.Equal(ErrorKind.Forbidden, ProjectPolicy.AsStarter(Vendor, challenge, 5)!.Kind);
        Assert.Equal(ErrorKind.NotFound, ProjectPolicy.AsStarter(Officer, null, 5)!.Kind);
        Assert.True(ProjectPolicy.MayStartDelivery(Enterprise, EnterpriseOrg));
        Assert.False(ProjectPolicy.MayStartDelivery(VendorRoleInEnterpriseOrg, EnterpriseOrg));
    }

    private static Actor? ActorNamed(string who) => who switch
    {
        "enterprise" => Enterprise,
        "vendor" => Vendor,
        "officer" => Officer,
        "admin" => Admin,
        "other vendor" => OtherVendor,
        "vendor role in the enterprise" => VendorRoleInEnterpriseOrg,
        _ => null,
    };
}
