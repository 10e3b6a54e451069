using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Proposals;
using Marketplace.Data.Challenges;
using Marketplace.Data.Proposals;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Proposals;

/// <summary>The proposal pages: the form, a proposal with its receipt, "My proposals", a closed challenge's proposals and opening prices.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
[Authorize]
public sealed class ProposalsController(
    ProposalStore proposals,
    ChallengeStore challenges,
    Viewer viewer,
    TimeProvider clock,
    IStringLocalizer<ProposalText> text) : Controller
{
    private const string SavedKey = "Proposals.Saved";
    private const string MessageKey = "Proposals.Message";

    [HttpGet("/challenges/{id:long}/proposals/new")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> New(long id, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null || !await viewer.MaySeeAsync(challenge, cancellationToken))
        {
            return NotFound();
        }

        var mine = (await proposals.ListMineAsync(await viewer.ForProposalsAsync(clock, cancellationToken), cancellationToken))
            .FirstOrDefault(p => p.ChallengeId == id && p.Status != ProposalStatus.Withdrawn);
        if (mine is not null)
        {
            return Redirect($"/proposals/{mine.Id}/edit");
        }

        if (await RefusalAsync(challenge, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var form = new ProposalForm
        {
            TargetAnswers = challenge.AcceptanceTargets.Select(_ => (string?)null).ToList(),
            Milestones = [new MilestoneForm(), new MilestoneForm(), new MilestoneForm()],
            PriceCurrency = challenge.BudgetCurrency.Trim(),
        };
        return View("Form", await FormPageAsync(challenge, form, null, cancellationToken));
    }

    [HttpPost("/challenges/{id:long}/proposals")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Submit(long id, ProposalForm form, string? intent, [FromServices] SubmitProposalHandler handler, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null || !await viewer.MaySeeAsync(challenge, cancellationToken))
        {
            return NotFound();
        }

        var asDraft = intent == "draft";
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Form", await FormPageAsync(challenge, form, null, cancellationToken));
        }

        var result = await handler.HandleAsync(new SubmitProposal
        {
            ChallengeId = id,
            UserId = viewer.UserId!.Value,
            MayReadFullText = await viewer.MayReadFullTextAsync(challenge, cancellationToken),
            AsDraft = asDraft,
            Input = form.ToInput(),
        }, cancellationToken);
        if (result.IsSuccess)
        {
            TempData[SavedKey] = result.Value!.Status;
            return Redirect($"/proposals/{result.Value.ProposalId}");
        }

        return await FailureAsync(result.Error!, challenge, form, null, cancellationToken);
    }

    [HttpGet("/proposals/{id:long}")]
    public async Task<IActionResult> Details(long id, CancellationToken cancellationToken)
    {
        var reader = await viewer.ForProposalsAsync(clock, cancellationToken);
        var proposal = await proposals.FindAsync(id, reader, cancellationToken);
        if (proposal is null)
        {
            return NotFound();
        }

        var challenge = await challenges.FindAsync(proposal.ChallengeId, cancellationToken);
        return View(new ProposalDetailsPage
        {
            Proposal = proposal,
            MayChange = proposal.IsAuthor && viewer.IsInRole(Roles.Vendor) && proposal.Status != ProposalStatus.Withdrawn
                        && ProposalRules.AcceptsChanges(challenge!.Status, challenge.DeadlineAt, reader.Now) is null,
            JustSaved = TempData[SavedKey] is string,
        });
    }

    [HttpGet("/proposals/{id:long}/versions/{version:int}")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Version(long id, int version, CancellationToken cancellationToken)
    {
        var reader = await viewer.ForProposalsAsync(clock, cancellationToken);
        var proposal = await proposals.FindAsync(id, reader, cancellationToken);
        var technical = proposal is { IsAuthor: true } ? await proposals.AuthorVersionAsync(id, version, reader, cancellationToken) : null;
        var receipt = proposal?.Versions.FirstOrDefault(v => v.VersionNumber == version);
        return technical is null || receipt is null ? NotFound() : View(new ProposalVersionPage { Proposal = proposal!, Receipt = receipt, Technical = technical });
    }

    [HttpGet("/proposals/{id:long}/edit")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Edit(long id, CancellationToken cancellationToken)
    {
        var reader = await viewer.ForProposalsAsync(clock, cancellationToken);
        var proposal = await proposals.FindAsync(id, reader, cancellationToken);
        if (proposal is null || !proposal.IsAuthor)
        {
            return NotFound();
        }

        var challenge = (await challenges.FindAsync(proposal.ChallengeId, cancellationToken))!;
        if (proposal.Status == ProposalStatus.Withdrawn)
        {
            return Notice(StatusCodes.Status409Conflict, text["This proposal was withdrawn. Start a new proposal instead."], challenge.Id);
        }

        if (ProposalRules.AcceptsChanges(challenge.Status, challenge.DeadlineAt, reader.Now) is { } closed)
        {
            return Notice(StatusCodes.Status409Conflict, text[closed.Message], challenge.Id);
        }

        return View("Form", await FormPageAsync(challenge, ProposalForm.From(proposal), proposal, cancellationToken));
    }

    [HttpPost("/proposals/{id:long}")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Revise(long id, ProposalForm form, string? intent, [FromServices] ReviseProposalHandler handler, CancellationToken cancellationToken)
    {
        var reader = await viewer.ForProposalsAsync(clock, cancellationToken);
        var proposal = await proposals.FindAsync(id, reader, cancellationToken);
        if (proposal is null || !proposal.IsAuthor)
        {
            return NotFound();
        }

        var challenge = (await challenges.FindAsync(proposal.ChallengeId, cancellationToken))!;
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Form", await FormPageAsync(challenge, form, proposal, cancellationToken));
        }

        var result = await handler.HandleAsync(new ReviseProposal { ProposalId = id, UserId = viewer.UserId!.Value, AsDraft = intent == "draft", Input = form.ToInput() }, cancellationToken);
        if (result.IsSuccess)
        {
            TempData[SavedKey] = result.Value!.Status;
            return Redirect($"/proposals/{id}");
        }

        return await FailureAsync(result.Error!, challenge, form, proposal, cancellationToken);
    }

    [HttpPost("/proposals/{id:long}/withdraw")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Withdraw(long id, [FromServices] WithdrawProposalHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new WithdrawProposal(id, viewer.UserId!.Value), cancellationToken);
        if (result.IsSuccess)
        {
            TempData[MessageKey] = "withdrawn";
            return Redirect("/my/proposals");
        }

        return result.Error!.Kind switch
        {
            ErrorKind.NotFound => NotFound(),
            ErrorKind.Forbidden => Forbid(),
            _ => Notice(StatusCodes.Status409Conflict, text[result.Error.Message], null),
        };
    }

    [HttpGet("/my/proposals")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Mine(CancellationToken cancellationToken)
    {
        ViewData["Message"] = TempData[MessageKey] as string == "withdrawn" ? text["The proposal was withdrawn. Its versions are kept in your records."].Value : null;
        return View(await proposals.ListMineAsync(await viewer.ForProposalsAsync(clock, cancellationToken), cancellationToken));
    }

    [HttpGet("/challenges/{id:long}/proposals")]
    [Authorize(Roles = Roles.Enterprise + "," + Roles.Officer)]
    public async Task<IActionResult> ForChallenge(long id, CancellationToken cancellationToken)
    {
        var result = await ChallengeProposalsQuery.RunAsync(id, viewer, proposals, challenges, clock, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!.Kind switch
            {
                ErrorKind.NotFound => NotFound(),
                ErrorKind.Forbidden => Forbid(),
                _ => Notice(StatusCodes.Status409Conflict, text[result.Error.Message], id),
            };
        }

        return View(new ChallengeProposalsPage
        {
            Proposals = result.Value!,
            MayOpenPrices = viewer.IsInRole(Roles.Officer) && result.Value!.PriceEnvelopesOpenedAt is null,
            Message = TempData[MessageKey] as string == "opened" ? text["The price envelopes are open. The enterprise now sees the prices too."].Value : null,
        });
    }

    [HttpPost("/challenges/{id:long}/price-envelopes/open")]
    [Authorize(Policy = AuthPolicies.Officer)]
    public async Task<IActionResult> OpenPriceEnvelopes(long id, [FromServices] OpenPriceEnvelopesHandler handler, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new OpenPriceEnvelopes(id, viewer.UserId!.Value, viewer.IsInRole(Roles.Officer)), cancellationToken);
        if (result.IsSuccess)
        {
            TempData[MessageKey] = "opened";
            return Redirect($"/challenges/{id}/proposals");
        }

        return result.Error!.Kind switch
        {
            ErrorKind.NotFound => NotFound(),
            ErrorKind.Forbidden => Forbid(),
            _ => Notice(StatusCodes.Status409Conflict, text[result.Error.Message], id),
        };
    }

    // Helpers

    /// <summary>Why this vendor may not start a proposal on this challenge now, as a page; null when they may.</summary>
    private async Task<IActionResult?> RefusalAsync(ChallengeDetail challenge, CancellationToken cancellationToken)
    {
        if (ProposalRules.AcceptsChanges(challenge.Status, challenge.DeadlineAt, clock.GetUtcNow()) is { } closed)
        {
            return Notice(StatusCodes.Status409Conflict, text[closed.Message], challenge.Id);
        }

        if (!await viewer.MayReadFullTextAsync(challenge, cancellationToken))
        {
            return Notice(StatusCodes.Status403Forbidden, text["This challenge is confidential: accept its confidentiality terms (NDA) before you submit a proposal."], challenge.Id);
        }

        return null;
    }

    private async Task<IActionResult> FailureAsync(Error error, ChallengeDetail challenge, ProposalForm form, ProposalView? proposal, CancellationToken cancellationToken)
    {
        switch (error.Kind)
        {
            case ErrorKind.NotFound:
                return NotFound();
            case ErrorKind.Forbidden:
                return Notice(StatusCodes.Status403Forbidden, text[error.Message], challenge.Id);
            case ErrorKind.Conflict:
                return Notice(StatusCodes.Status409Conflict, text[error.Message], challenge.Id);
        }

        foreach (var (field, messages) in error.FieldErrors ?? new Dictionary<string, string[]>())
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(field, text[message]);
            }
        }

        ModelState.AddModelError("", text["Please correct the marked fields. Nothing was saved."]);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return View("Form", await FormPageAsync(challenge, form, proposal, cancellationToken));
    }

    private async Task<ProposalFormPage> FormPageAsync(ChallengeDetail challenge, ProposalForm form, ProposalView? proposal, CancellationToken cancellationToken)
    {
        // Keep one answer box per target and at least one milestone row, whatever was posted.
        while (form.TargetAnswers.Count < challenge.AcceptanceTargets.Count)
        {
            form.TargetAnswers.Add(null);
        }

        if (form.Milestones.Count == 0)
        {
            form.Milestones.Add(new MilestoneForm());
        }

        var vendors = await proposals.VendorOrganisationsOfAsync(viewer.UserId!.Value, cancellationToken);
        return new ProposalFormPage
        {
            Challenge = challenge,
            Form = form,
            ProposalId = proposal?.Id,
            Status = proposal?.Status ?? ProposalStatus.Draft,
            CurrentVersion = proposal?.CurrentVersion ?? 0,
            Lead = proposal?.VendorName ?? (vendors.Count > 0 ? vendors[0].Name : ""),
            Vendors = (await proposals.SearchVendorsAsync(null, 500, cancellationToken)).Where(v => vendors.All(own => own.Id != v.Id)).ToList(),
        };
    }

    private ViewResult Notice(int status, string message, long? challengeId)
    {
        Response.StatusCode = status;
        return View("Notice", new ProposalNotice(
            status == StatusCodes.Status403Forbidden ? text["Not allowed"] : text["This cannot be done now"],
            message,
            challengeId is { } id ? $"/challenges/{id}" : "/my/proposals",
            challengeId is null ? text["My proposals"] : text["Back to the challenge"]));
    }
}
