using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Data.Challenges;
using Marketplace.Data.Vendors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Home;

public sealed record HomeViewModel(int OpenChallenges, int ListedChallenges, int Vendors, IReadOnlyList<ChallengeSummary> Latest, IReadOnlyList<ChallengeSummary> ClosingSoon);

[AllowAnonymous]
public sealed class HomeController(ChallengeStore challenges, VendorStore vendors) : Controller
{
    [HttpGet("/")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var (open, listed) = await challenges.CountPublicAsync(cancellationToken);
        var latest = await challenges.SearchPublicAsync(new ChallengeSearch { OpenOnly = true }, ChallengeSort.Newest, new PageRequest(1, 6), cancellationToken);
        var closing = await challenges.SearchPublicAsync(new ChallengeSearch { OpenOnly = true }, ChallengeSort.Deadline, new PageRequest(1, 5), cancellationToken);
        return View(new HomeViewModel(open, listed, await vendors.CountAsync(cancellationToken), latest.Items, closing.Items));
    }
}
