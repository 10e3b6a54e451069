using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Proposals;
using Marketplace.Data.Proposals;
using Marketplace.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Web.Features.Proposals;

/// <summary>
/// The proposal entry point on a challenge's page: "Submit a proposal" for vendors while it is open, their own
/// proposal once started, and the list of proposals for the enterprise and officers after the deadline.
/// Rendered from Challenges/Details.cshtml with <c>@await Component.InvokeAsync("ProposalEntry", new { challenge })</c>.
/// </summary>
public sealed class ProposalEntryViewComponent(ProposalStore proposals, Viewer viewer, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(ChallengeDetail challenge)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var reader = await viewer.ForProposalsAsync(clock, cancellationToken);
        var isVendor = viewer.IsInRole(Roles.Vendor);
        var isOpen = ProposalRules.AcceptsChanges(challenge.Status, challenge.DeadlineAt, reader.Now) is null;
        var mine = isVendor
            ? (await proposals.ListMineAsync(reader, cancellationToken)).FirstOrDefault(p => p.ChallengeId == challenge.Id && p.Status != ProposalStatus.Withdrawn)
            : null;
        var ownerOrOfficer = reader.IsOfficer || (viewer.IsInRole(Roles.Enterprise) && reader.OrganisationIds.Contains(challenge.EnterpriseId));
        var mayRead = await viewer.MayReadFullTextAsync(challenge, cancellationToken);
        return View("/Features/Proposals/_Entry.cshtml", new ProposalEntryModel
        {
            ChallengeId = challenge.Id,
            IsOpen = isOpen,
            IsSignedIn = viewer.IsSignedIn,
            IsVendor = isVendor,
            MaySubmit = isVendor && isOpen && mayRead,
            NeedsNda = isVendor && isOpen && !mayRead,
            Mine = mine,
            IsOwnerOrOfficer = ownerOrOfficer,
            MayListProposals = ownerOrOfficer && ProposalRules.IsUnsealed(challenge.DeadlineAt, reader.Now),
            DeadlineAt = challenge.DeadlineAt,
        });
    }
}
