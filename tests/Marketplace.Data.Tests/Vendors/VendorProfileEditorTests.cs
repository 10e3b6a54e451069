using Marketplace.Core.Application;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Vendors;
using Marketplace.Data.Tests.Lifecycle;
using Marketplace.Data.Vendors;
using Marketplace.Testing;

namespace Marketplace.Data.Tests.Vendors;

/// <summary>The profile editor's use cases on the real engines, through the application's runner and VendorStore.</summary>
public sealed class VendorProfileEditorTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task ANewVendorWithoutAProfile_SavesOne_AndAddsEditsAndDeletesCases_EachAskingForARematch(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var store = new VendorStore(h.Database.Connections, h.Clock);
        var organisationId = h.Vendor.OrganisationIds[0];
        Assert.False((await store.EditorAsync(organisationId, None))!.HasProfile);

        var saved = await h.Run(new SaveVendorProfile(store), h.Vendor, new SaveVendorProfileRequest
        {
            Language = "en", Summary = "  Line-scan inspection of steel strip with deep learning.  ", MaxTrlDelivered = 7,
            Capabilities = ["defect-detection", "computer-vision", "defect-detection"], Industries = ["steel"],
        });
        Assert.True(saved.IsSuccess, saved.Error?.Message);
        Assert.Equal([FollowUp.Rematch("vendor profile changed")], h.FollowUps.Requests);

        var added = await LifecycleHarness.Succeeds(h.Run(new AddPortfolioCase(store), h.Vendor, new AddPortfolioCaseRequest(new PortfolioCaseInput
        {
            Title = "Hot-strip inspection", Client = "A steel mill", Industry = "steel", Year = 2024, Body = "Six line-scan cameras.", Outcome = "80% fewer escapes", Trl = 8,
        })));
        await LifecycleHarness.Succeeds(h.Run(new UpdatePortfolioCase(store), h.Vendor, new UpdatePortfolioCaseRequest(added.CaseId, new PortfolioCaseInput
        {
            Title = "Hot-strip surface inspection", Body = "Six line-scan cameras, one model per defect family.", Trl = 8,
        })));

        var editor = (await store.EditorAsync(organisationId, None))!;
        Assert.True(editor.HasProfile);
        Assert.Equal("Line-scan inspection of steel strip with deep learning.", editor.Summary);
        Assert.Equal(7, editor.MaxTrlDelivered);
        Assert.Equal(["computer-vision", "defect-detection"], editor.Capabilities);
        Assert.Equal(["steel"], editor.Industries);
        var onlyCase = Assert.Single(editor.Cases);
        Assert.Equal(("Hot-strip surface inspection", (string?)null, (int?)null, false), (onlyCase.Title, onlyCase.Client, onlyCase.Year, onlyCase.FromDelivery));

        // Another vendor's member cannot touch the case: it is hidden (404) and stays as it was.
        var foreign = await h.Run(new DeletePortfolioCase(store), h.OtherVendor, new DeletePortfolioCaseRequest(added.CaseId));
        Assert.Equal(ErrorKind.NotFound, foreign.Error?.Kind);
        Assert.Single((await store.EditorAsync(organisationId, None))!.Cases);

        await LifecycleHarness.Succeeds(h.Run(new DeletePortfolioCase(store), h.Vendor, new DeletePortfolioCaseRequest(added.CaseId)));
        Assert.Empty((await store.EditorAsync(organisationId, None))!.Cases);
        // One per committed change (save, add, edit, delete); the refused delete asked for nothing.
        Assert.Equal(Enumerable.Repeat(FollowUp.Rematch("vendor profile changed"), 4), h.FollowUps.Requests);
    }

    [Theory, OnEngine(TestEngines.Sqlite), OnEngine(TestEngines.Postgres)]
    public async Task BadInput_AndOtherRoles_AreRefused_AndChangeNothing(string engine)
    {
        await using var h = await LifecycleHarness.CreateAsync(engine);
        var store = new VendorStore(h.Database.Connections, h.Clock);
        var save = new SaveVendorProfile(store);

        var bad = await h.Run(save, h.Vendor, new SaveVendorProfileRequest { Language = "fr", Summary = " ", MaxTrlDelivered = 12, Capabilities = ["telepathy"], Industries = ["mining"] });
        Assert.Equal(ErrorKind.Invalid, bad.Error?.Kind);
        Assert.Equal(["capabilities", "industries", "language", "maxTrlDelivered", "summary"], bad.Error!.FieldErrors!.Keys.Order(StringComparer.Ordinal));
        var unsafeText = await h.Run(save, h.Vendor, new SaveVendorProfileRequest { Language = "en", Summary = "Vision \u202Eevil" });
        Assert.Equal(["summary"], unsafeText.Error!.FieldErrors!.Keys);
        var enterprise = await h.Run(save, h.Enterprise, new SaveVendorProfileRequest { Language = "en", Summary = "We build vision systems." });
        Assert.Equal(ErrorKind.Forbidden, enterprise.Error?.Kind);
        var futureCase = await h.Run(new AddPortfolioCase(store), h.Vendor, new AddPortfolioCaseRequest(new PortfolioCaseInput { Title = "A\nB", Body = "x", Year = 2099, Trl = 0 }));
        Assert.Equal(["title"], futureCase.Error!.FieldErrors!.Keys);
        var badCase = await h.Run(new AddPortfolioCase(store), h.Vendor, new AddPortfolioCaseRequest(new PortfolioCaseInput { Title = "Ok", Body = " ", Year = 2099, Trl = 0, Industry = "mining" }));
        Assert.Equal(["body", "industry", "trl", "year"], badCase.Error!.FieldErrors!.Keys.Order(StringComparer.Ordinal));

        Assert.False((await store.EditorAsync(h.Vendor.OrganisationIds[0], None))!.HasProfile);
        Assert.Empty(h.FollowUps.Requests);
    }
}
