using System.Globalization;
using Marketplace.Core.Accounts;
using Marketplace.Core.Matching;
using Marketplace.Data.Dashboards;
using Marketplace.Data.Email;
using Marketplace.Jobs;
using Marketplace.Matching;
using Marketplace.Web.Features.Matching;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Dashboards;

/// <summary>
/// The landing page after sign-in: a section for each role the person holds, each read through its role's read model
/// (Data/Dashboards). Reads only; the buttons lead to the pages and actions that already exist.
/// </summary>
[Authorize]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class DashboardsController(
    Viewer viewer,
    TimeProvider clock,
    IStringLocalizer<MatchingText> matchingText,
    EnterpriseDashboardQuery enterprises,
    VendorDashboardQuery vendors,
    ReviewerDashboardQuery reviewers,
    OfficerDashboardQuery officers,
    AdminDashboardQuery admins,
    DashboardOptions options,
    JobHealth jobs,
    EmailSettings email) : Controller
{
    /// <summary>Recommendations shown on the vendor's dashboard (the full list is at /recommendations).</summary>
    public const int RecommendedShown = 5;

    /// <summary>Suggested vendors shown per open challenge on the enterprise's dashboard.</summary>
    public const int SuggestionsShown = 3;

    [HttpGet("/dashboard")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var actor = await viewer.ActorAsync(cancellationToken);
        if (actor is null)
        {
            return Challenge();
        }

        var now = clock.GetUtcNow();
        EnterpriseSection? enterprise = null;
        VendorSection? vendor = null;
        IReadOnlyList<ReviewerRow>? reviewer = null;
        OfficerSection? officer = null;
        AdminSection? admin = null;

        if (viewer.IsInRole(Roles.Enterprise))
        {
            var data = await enterprises.LoadAsync(actor.OrganisationIds, now, cancellationToken);
            var suggestions = data.Suggestions
                .Select(s => (Vendor: s, Level: MatchLevels.Of(s.Score)))
                .Where(s => s.Level != MatchLevel.None)
                .GroupBy(s => s.Vendor.ChallengeId)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<(SuggestedVendorRow, MatchLevel)>)g.Take(SuggestionsShown).ToList());
            enterprise = new EnterpriseSection(data, suggestions);
        }

        if (viewer.IsInRole(Roles.Vendor))
        {
            var data = await vendors.LoadAsync(actor.UserId, actor.OrganisationIds, cancellationToken);
            var chinese = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
            var recommended = data.Recommendations.Items.Take(RecommendedShown)
                .Select(r => new RecommendedItem(r, MatchWording.Read(r.Score, r.Reasons, r.MatchText, matchingText, chinese)))
                .ToList();
            var checks = data.Profile is { } profile ? ProfileCompleteness.Assess(profile) : [];
            vendor = new VendorSection(data, recommended, checks, ProfileCompleteness.Percent(checks));
        }

        if (viewer.IsInRole(Roles.Reviewer))
        {
            reviewer = (await reviewers.LoadAsync(actor.UserId, cancellationToken))
                .Select(a => new ReviewerRow(a)).ToList();
        }

        if (viewer.IsInRole(Roles.Officer))
        {
            officer = new OfficerSection(await officers.LoadAsync(now, options.StuckAfterDays, cancellationToken), options.StuckAfterDays);
        }

        if (viewer.IsInRole(Roles.Admin))
        {
            admin = new AdminSection(await admins.LoadAsync(now, cancellationToken), jobs.Read(), email.UsesPickupFolder ? email.FullPickupFolder : null);
        }

        var name = User.FindFirst(AccountClaims.DisplayName)?.Value ?? User.Identity?.Name ?? "";
        return View("Index", new DashboardPage(now, name, enterprise, vendor, reviewer, officer, admin));
    }
}
