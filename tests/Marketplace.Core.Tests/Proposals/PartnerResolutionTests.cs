using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Proposals;
using Marketplace.Core.Proposals;

namespace Marketplace.Core.Tests.Proposals;

/// <summary>Consortium partners are typed as names (or identifiers) and resolved to registered vendors, every error in one round.</summary>
public sealed class PartnerResolutionTests
{
    private const long Lead = 1;

    private static readonly ChallengeDetail Challenge = new()
    {
        Id = 7,
        DeadlineAt = new DateTimeOffset(2031, 6, 30, 10, 0, 0, TimeSpan.Zero),
        AcceptanceTargets = [new("Defect recall", "≥ 98%", "2,000 held-out images"), new("False alarms", "≤ 1%", "Same set")],
    };

    private static readonly VendorOrganisation Own = new() { Id = Lead, Slug = "ven-lead", Name = "领军智能" };
    private static readonly VendorOrganisation Vision = new() { Id = 2, Slug = "ven-vision", Name = "测试视觉科技", NameEn = "Test Vision AI" };
    private static readonly VendorOrganisation Twin1 = new() { Id = 3, Slug = "ven-twin-a", Name = "Twin Robotics" };
    private static readonly VendorOrganisation Twin2 = new() { Id = 4, Slug = "ven-twin-b", Name = "Other Co", NameEn = "twin robotics" };

    private static readonly VendorOrganisation[] Registered = [Own, Vision, Twin1, Twin2];

    private static Result Decide(ProposalInput input) =>
        new(ProposalContent.Decide(input, Challenge, asDraft: false, Registered.Where(v => ProposalContent.PartnerNames(input).Any(v.IsNamed)).ToList(), Lead));

    private sealed record Result(Common.Result<ProposalContent> Value)
    {
        public IReadOnlyDictionary<string, string[]> Errors => Value.Error!.FieldErrors!;
    }

    [Theory]
    [InlineData("测试视觉科技")]
    [InlineData("test vision ai")]
    [InlineData("ven-vision")]
    public void APartnerNamedByNameEnglishNameOrIdentifier_IsResolvedToTheVendor(string typed)
    {
        var result = Decide(ProposalRulesTests.Complete() with { Partners = [typed] });

        Assert.True(result.Value.IsSuccess, result.Value.Error?.Message);
        var partner = Assert.Single(result.Value.Value!.Technical.Partners);
        Assert.Equal((2L, "ven-vision", "测试视觉科技"), (partner.OrganisationId, partner.Slug, partner.Name));
    }

    [Fact]
    public void ANameTwoVendorsShare_IsAmbiguous_AndTheirIdentifierResolvesIt()
    {
        var ambiguous = Decide(ProposalRulesTests.Complete() with { Partners = ["Twin Robotics"] });
        var byIdentifier = Decide(ProposalRulesTests.Complete() with { Partners = ["ven-twin-b"] });

        Assert.Equal([ProposalContent.AmbiguousPartner], ambiguous.Errors["partners[0]"]);
        Assert.Equal(4L, Assert.Single(byIdentifier.Value.Value!.Technical.Partners).OrganisationId);
    }

    [Fact]
    public void UnknownPartners_TheLeadItself_AndOneVendorTwice_AreRefusedEachOnItsField()
    {
        var result = Decide(ProposalRulesTests.Complete() with { Partners = ["No Such Vendor", "领军智能", "Test Vision AI", "ven-vision"] });

        Assert.Equal([ProposalContent.UnknownPartner], result.Errors["partners[0]"]);
        Assert.Equal([ProposalContent.LeadAsPartner], result.Errors["partners[1]"]);
        Assert.False(result.Errors.ContainsKey("partners[2]"));
        Assert.Equal([ProposalContent.PartnerTwice], result.Errors["partners[3]"]);
    }

    [Fact]
    public void AnUnknownPartner_IsReportedInTheSameRoundAsTheOtherFields()
    {
        var result = Decide(ProposalRulesTests.Complete() with { Approach = "", PriceAmount = -3m, Partners = ["No Such Vendor"] });

        Assert.Contains("approach", result.Errors.Keys);
        Assert.Contains("priceAmount", result.Errors.Keys);
        Assert.Equal([ProposalContent.UnknownPartner], result.Errors["partners[0]"]);
    }
}
