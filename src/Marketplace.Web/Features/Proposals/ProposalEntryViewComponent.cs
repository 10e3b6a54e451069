using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Proposals;
using Marketplace.Core.Proposals;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Proposals;

/// <summary>
/// The proposal entry point on a challenge's page: "Submit a proposal" for vendors while it is open, their own
/// proposal once started, and the list of proposals for the enterprise and officers after the deadline.
/// Rendered from Challenges/Details.cshtml with <c>@await Component.InvokeAsync("ProposalEntry", new { challenge })</c>.
/// </summary>
public sealed class ProposalEntryViewComponent(ProposalReader proposals, Viewer viewer) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(ChallengeDetail challenge)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var now = (await proposals.ReaderAsync(cancellationToken)).Now;
        var actor = await viewer.ActorAsync(cancellationToken);
        var isVendor = viewer.IsInRole(Roles.Vendor);
        var isOpen = ProposalRules.AcceptsChanges(challenge.Status, challenge.DeadlineAt, now) is null;
        var ownerOrOfficer = ProposalPolicy.MayListProposals(actor, challenge.EnterpriseId);
        var mayRead = await viewer.MayReadFullTextAsync(challenge, cancellationToken);
        return View("/Features/Proposals/_Entry.cshtml", new ProposalEntryModel
        {
            ChallengeId = challenge.Id,
            IsOpen = isOpen,
            IsSignedIn = viewer.IsSignedIn,
            IsVendor = isVendor,
            MaySubmit = isVendor && isOpen && mayRead,
            NeedsNda = isVendor && isOpen && !mayRead,
            Mine = isVendor ? await proposals.LiveProposalToAsync(challenge.Id, cancellationToken) : null,
            IsOwnerOrOfficer = ownerOrOfficer,
            MayListProposals = ownerOrOfficer && ProposalRules.IsUnsealed(challenge.DeadlineAt, now),
            DeadlineAt = challenge.DeadlineAt,
        });
    }
}
