using System.Net;
using System.Text.Json;
using Marketplace.Web.Tests.Account;
using Marketplace.Web.Tests.Infrastructure;
using static Marketplace.Web.Tests.Proposals.ProposalTestKit;

namespace Marketplace.Web.Tests.Proposals;

/// <summary>The consortium partner picker: a JSON search by name, and the form resolving a typed name to the vendor.</summary>
public sealed class PartnerPickerTests(MarketplaceFactory factory) : IClassFixture<MarketplaceFactory>
{
    private readonly MarketplaceFactory _factory = factory;

    [Theory]
    [InlineData("视觉")]
    [InlineData("vision ai")]
    public async Task VendorNames_FindsVendorsByNameOrEnglishName(string text)
    {
        using var client = _factory.CreateBrowserClient();
        var vendors = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/vendors/names?q={Uri.EscapeDataString(text)}")).RootElement;

        var vendor = Assert.Single(vendors.EnumerateArray());
        Assert.Equal("测试视觉科技", vendor.GetProperty("name").GetString());
        Assert.Equal("Test Vision AI", vendor.GetProperty("nameEn").GetString());
        Assert.Equal("ven-test-vision", vendor.GetProperty("slug").GetString());
    }

    [Fact]
    public async Task VendorNames_WithoutText_IsEmpty()
    {
        using var client = _factory.CreateBrowserClient();

        Assert.Equal("[]", await client.GetStringAsync("/api/v1/vendors/names?q=%20"));
    }

    [Fact]
    public async Task TheFormResolvesAPartnersName_AndShowsTheNameWhenRevising()
    {
        var challenge = await _factory.ChallengeIdAsync(StripChallenge);
        using var vendor = await _factory.SignedInBrowserAsync(Vendor);
        var fields = ValidForm(_factory);
        fields["Partners[0]"] = "test routing labs";

        using var response = await vendor.PostFormAsync($"/challenges/{challenge}/proposals/new", $"/challenges/{challenge}/proposals", fields);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var proposal = response.Headers.Location!.OriginalString;
        Assert.Contains("Test Routing Labs", await vendor.GetHtmlAsync(proposal), StringComparison.Ordinal);
        Assert.Contains("name=\"Partners[0]\" value=\"Test Routing Labs\"", await vendor.GetHtmlAsync(proposal + "/edit"), StringComparison.Ordinal);
    }
}
