using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Matching;
using Marketplace.Data.Challenges;
using Marketplace.Data.Matching;
using Marketplace.Data.Organisations;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Matching;

public sealed record RecommendationsViewModel(string VendorName, IReadOnlyList<ChallengeRecommendation> Items);

/// <summary>
/// Who may see and act on a challenge's vendor suggestions: the challenge's own enterprise and the programme
/// office. Everyone else gets 404, as if the suggestions did not exist.
/// </summary>
public sealed class SuggestionAccess(ChallengeStore challenges, Viewer viewer)
{
    public async Task<ChallengeDetail?> ChallengeIfAllowedAsync(long challengeId, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(challengeId, cancellationToken);
        if (challenge is null)
        {
            return null;
        }

        var allowed = viewer.IsProgrammeStaff || (await viewer.OrganisationIdsAsync(cancellationToken)).Contains(challenge.EnterpriseId);
        return allowed ? challenge : null;
    }
}

/// <summary>Recording decisions about suggestions (pages), and the vendor's "recommended for you" list.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class MatchingController(SuggestionAccess access, MatchStore store, Matchmaker matchmaker, RecommendationReader recommendations, Viewer viewer) : Controller
{
    [Authorize]
    [HttpPost("/challenges/{id:long}/suggestions/{vendorId:long}/signal")]
    public async Task<IActionResult> Signal(long id, long vendorId, [FromForm] string? kind, CancellationToken cancellationToken)
    {
        var challenge = await access.ChallengeIfAllowedAsync(id, cancellationToken);
        if (challenge is null)
        {
            return NotFound();
        }

        var suggestions = await store.SuggestionsForChallengeAsync(id, cancellationToken);
        if (kind is null || !MatchSignalKind.GivenOnSuggestions.Contains(kind) || suggestions.All(s => s.VendorId != vendorId))
        {
            TempData["MatchingError"] = "invalid";
            return Redirect($"/challenges/{id}#suggestions");
        }

        await store.RecordSignalAsync(id, vendorId, kind, viewer.UserId, cancellationToken);
        return Redirect($"/challenges/{id}#suggestions");
    }

    [Authorize(Policy = AuthPolicies.Vendor)]
    [HttpGet("/recommendations")]
    public async Task<IActionResult> Recommended(CancellationToken cancellationToken)
    {
        var model = await recommendations.ForViewerAsync(cancellationToken);
        return View("Recommended", model);
    }

    /// <summary>Rebuild the suggestions now (programme office), rather than waiting for the next refresh.</summary>
    [Authorize(Policy = AuthPolicies.ProgrammeStaff)]
    [HttpPost("/matching/refresh")]
    public async Task<IActionResult> Refresh(long? returnTo, CancellationToken cancellationToken)
    {
        await matchmaker.RefreshAsync("requested", cancellationToken);
        return Redirect(returnTo is { } challengeId ? $"/challenges/{challengeId}#suggestions" : "/");
    }
}

/// <summary>Open challenges recommended to the signed-in vendor's organisation.</summary>
public sealed class RecommendationReader(Matchmaker matchmaker, ChallengeStore challenges, OrganisationStore organisations, Viewer viewer)
{
    public const int Count = 20;

    public async Task<RecommendationsViewModel> ForViewerAsync(CancellationToken cancellationToken)
    {
        var vendor = viewer.UserId is { } userId
            ? (await organisations.ForUserAsync(userId, cancellationToken)).FirstOrDefault(o => o.Kind == Core.Organisations.OrganisationKind.Vendor)
            : null;
        if (vendor is null)
        {
            return new RecommendationsViewModel("", []);
        }

        var matches = await matchmaker.RecommendedChallengesAsync(vendor.Id, Count, cancellationToken);
        var items = new List<ChallengeRecommendation>();
        foreach (var match in matches)
        {
            var challenge = await challenges.FindAsync(MatchStore.IdOf(match.Id), cancellationToken);
            if (challenge is null || challenge.Status != ChallengeStatus.Published)
            {
                continue;
            }

            items.Add(new ChallengeRecommendation
            {
                ChallengeId = challenge.Id,
                Title = challenge.Title,
                Industry = challenge.Industry,
                EnterpriseName = challenge.EnterpriseName,
                DeadlineAt = challenge.DeadlineAt,
                BudgetAmount = challenge.BudgetAmount,
                BudgetCurrency = challenge.BudgetCurrency,
                Visibility = challenge.Visibility,
                Score = match.Score,
                Reasons = new SuggestionReasons(
                    match.Explanation.TopTerms.Select(t => new TermShare(t.Term, t.Share)).ToList(),
                    match.Explanation.MatchedTags,
                    match.Explanation.BestCase?.Title,
                    match.Explanation.BestCase?.Score),
            });
        }

        return new RecommendationsViewModel(vendor.Name, items);
    }
}

/// <summary>The suggestions panel on a challenge page, shown only to those allowed to see it.</summary>
public sealed class SuggestedVendorsViewComponent(SuggestionAccess access, MatchStore store, Matchmaker matchmaker, Viewer viewer) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long challengeId)
    {
        if (!viewer.IsSignedIn || (!viewer.IsProgrammeStaff && !viewer.IsInRole(Roles.Enterprise)))
        {
            return Content("");
        }

        var challenge = await access.ChallengeIfAllowedAsync(challengeId, HttpContext.RequestAborted);
        if (challenge is null)
        {
            return Content("");
        }

        await matchmaker.EnsureReadyAsync(HttpContext.RequestAborted);
        var suggestions = await store.SuggestionsForChallengeAsync(challengeId, HttpContext.RequestAborted);
        var open = challenge.Status == ChallengeStatus.Published;
        return View("~/Features/Matching/SuggestedVendors.cshtml", new SuggestedVendorsModel(challenge.Id, open, suggestions, viewer.IsProgrammeStaff));
    }
}

public sealed record SuggestedVendorsModel(long ChallengeId, bool IsOpen, IReadOnlyList<VendorSuggestion> Suggestions, bool CanRefresh);
