using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Matching;
using Marketplace.Core.Matching;
using Marketplace.Data.Challenges;
using Marketplace.Data.Matching;
using Marketplace.Matching;
using Microsoft.Extensions.Localization;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Matching;

/// <summary>Recording decisions about suggestions (pages), and the vendor's "recommended for you" list.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class MatchingController(UseCases useCases, Matchmaker matchmaker, IStringLocalizer<MatchingText> text) : Controller
{
    [Authorize]
    [HttpPost("/challenges/{id:long}/suggestions/{vendorId:long}/signal")]
    public async Task<IActionResult> Signal(long id, long vendorId, [FromForm] string? kind, [FromServices] RecordMatchDecision decide, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(decide, new RecordMatchDecisionRequest(id, vendorId, kind), cancellationToken);
        if (result.Error == SuggestionPolicy.Hidden(id))
        {
            return NotFound();
        }

        if (!result.IsSuccess)
        {
            // An unknown kind or a vendor not among the suggestions: the panel says the decision was not recorded.
            TempData["MatchingError"] = "invalid";
        }
        else
        {
            this.ShowFlash(text[kind switch
            {
                MatchSignalKind.Invited => "The vendor is marked as invited.",
                MatchSignalKind.Shortlisted => "The vendor is on your shortlist.",
                _ => "The vendor is dismissed from the suggestions.",
            }]);
        }

        return Redirect($"/challenges/{id}#suggestions");
    }

    [Authorize(Policy = AuthPolicies.Vendor)]
    [HttpGet("/recommendations")]
    public async Task<IActionResult> Recommended([FromServices] RecommendationQuery recommendations, [FromServices] Viewer viewer, CancellationToken cancellationToken) =>
        View("Recommended", await recommendations.ForUserAsync(viewer.UserId, cancellationToken));

    /// <summary>
    /// The decision report (the suggested vendors and why) as a file to keep or print: the same panel the challenge page
    /// shows, for those who may see it there (the challenge's enterprise and the programme office).
    /// </summary>
    [Authorize]
    [HttpGet("/challenges/{id:long}/decision-report")]
    public async Task<IActionResult> DecisionReport(long id, [FromServices] ChallengeStore challenges, [FromServices] Viewer viewer, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null || !await viewer.MaySeeAsync(challenge, cancellationToken)
            || !SuggestionPolicy.MaySee(await viewer.ActorAsync(cancellationToken), challenge.EnterpriseId))
        {
            return NotFound();
        }

        return this.AsDownload("DecisionReport", challenge, $"challenge-{id}-decision-report.html");
    }

    /// <summary>Rebuild the suggestions now (programme office), rather than waiting for the next refresh.</summary>
    [Authorize(Policy = AuthPolicies.ProgrammeStaff)]
    [HttpPost("/matching/refresh")]
    public async Task<IActionResult> Refresh(long? returnTo, CancellationToken cancellationToken)
    {
        await matchmaker.RefreshAsync("requested", cancellationToken);
        this.ShowFlash(text["The suggestions are recomputed from the current profiles and challenges."]);
        return Redirect(returnTo is { } challengeId ? $"/challenges/{challengeId}#suggestions" : "/");
    }
}

/// <summary>
/// The suggestions panel on a challenge page, shown only to those the suggestion policy lets see it. It takes the
/// challenge the page read, so the page reads it once.
/// </summary>
public sealed class SuggestedVendorsViewComponent(MatchStore store, Viewer viewer, IStringLocalizer<MatchingText> text) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(ChallengeDetail challenge)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var actor = await viewer.ActorAsync(cancellationToken);
        if (actor is null)
        {
            return Content("");
        }

        if (!SuggestionPolicy.MaySee(actor, challenge.EnterpriseId))
        {
            return Content("");
        }

        var suggestions = await store.SuggestionsForChallengeAsync(challenge.Id, cancellationToken);
        var open = challenge.Status == ChallengeStatus.Published;
        var challengeText = MatchWording.TextOf(challenge);
        var chinese = System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
        // The report lists the stored top ten down to the lowest level; below the cut-off a vendor is not a match.
        var readable = suggestions
            .Select(s => (Suggestion: s, Reading: MatchWording.Read(s.Score, s.Reasons, challengeText, text, chinese)))
            .Where(s => s.Reading.Level != MatchLevel.None)
            .ToList();
        return View("~/Features/Matching/SuggestedVendors.cshtml", new SuggestedVendorsModel(challenge.Id, open, readable, actor.IsProgrammeStaff));
    }
}

public sealed record SuggestedVendorsModel(long ChallengeId, bool IsOpen, IReadOnlyList<(VendorSuggestion Suggestion, ReadableMatch Reading)> Suggestions, bool CanRefresh);
