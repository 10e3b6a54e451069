using Marketplace.Core.Features.Reviews;
using Marketplace.Core.Accounts;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Features.Proposals;
using Marketplace.Core.Proposals;
using Marketplace.Data.Challenges;
using Marketplace.Data.Reviews;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Proposals;

/// <summary>
/// The proposal pages: the form, a proposal with its receipt, "My proposals", a closed challenge's proposals and
/// opening prices. Changes run as use cases; reads go through <see cref="ProposalReader"/>; a refusal is shown as a
/// plain notice that says why (a form with field errors when the input is invalid).
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
[Authorize]
public sealed class ProposalsController(
    UseCases useCases,
    ProposalReader reader,
    ChallengeStore challenges,
    Viewer viewer,
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

        if (await reader.LiveProposalToAsync(id, cancellationToken) is { } mine)
        {
            return Redirect($"/proposals/{mine.Id}/edit");
        }

        var now = (await reader.ReaderAsync(cancellationToken)).Now;
        if (ProposalRules.AcceptsChanges(challenge.Status, challenge.DeadlineAt, now) is { } closed)
        {
            return Notice(closed, challenge.Id);
        }

        if (!await viewer.MayReadFullTextAsync(challenge, cancellationToken))
        {
            return Notice(ProposalPolicy.NdaRequired, challenge.Id);
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
    public async Task<IActionResult> Submit(long id, ProposalForm form, string? intent, [FromServices] SubmitProposal submit, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null || !await viewer.MaySeeAsync(challenge, cancellationToken))
        {
            return NotFound();
        }

        if (!KnownIntent(intent) || !ModelState.IsValid)
        {
            return await FormAgainAsync(challenge, form, null, cancellationToken);
        }

        var result = await useCases.RunAsync(submit, new SubmitProposalRequest(id, intent == "draft", form.ToInput()), cancellationToken);
        return result.IsSuccess
            ? Saved(result.Value!)
            : await FailureAsync(result.Error!, challenge, form, null, cancellationToken);
    }

    [HttpGet("/proposals/{id:long}")]
    public async Task<IActionResult> Details(long id, CancellationToken cancellationToken)
    {
        var found = await reader.FindAsync(id, cancellationToken);
        if (!found.IsSuccess)
        {
            return NotFound();
        }

        var proposal = found.Value!;
        var challenge = await reader.ChallengeOfAsync(proposal, cancellationToken);
        return View(new ProposalDetailsPage
        {
            Proposal = proposal,
            MayChange = ProposalPolicy.MayChange(await viewer.ActorAsync(cancellationToken), proposal, challenge, (await reader.ReaderAsync(cancellationToken)).Now),
            JustSaved = TempData[SavedKey] is string,
        });
    }

    /// <summary>The receipt of the submitted version as a file to keep (its author only), the same facts the proposal page shows.</summary>
    [HttpGet("/proposals/{id:long}/receipt")]
    public async Task<IActionResult> Receipt(long id, CancellationToken cancellationToken)
    {
        var found = await reader.FindAsync(id, cancellationToken);
        if (found.Value is not { IsAuthor: true, Receipt: { } receipt } proposal)
        {
            return NotFound();
        }

        return this.AsDownload("ReceiptDocument", proposal, $"proposal-{id}-receipt-v{receipt.VersionNumber}.html");
    }

    [HttpGet("/proposals/{id:long}/versions/{version:int}")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Version(long id, int version, CancellationToken cancellationToken)
    {
        var proposal = (await reader.FindAsync(id, cancellationToken)).Value;
        var technical = proposal is { IsAuthor: true } ? (await reader.AuthorVersionAsync(id, version, cancellationToken)).Value : null;
        var receipt = proposal?.Versions.FirstOrDefault(v => v.VersionNumber == version);
        return technical is null || receipt is null ? NotFound() : View(new ProposalVersionPage { Proposal = proposal!, Receipt = receipt, Technical = technical });
    }

    [HttpGet("/proposals/{id:long}/edit")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Edit(long id, CancellationToken cancellationToken)
    {
        if (await OwnProposalAsync(id, cancellationToken) is not { } proposal)
        {
            return NotFound();
        }

        var challenge = await reader.ChallengeOfAsync(proposal, cancellationToken);
        if (proposal.Status == ProposalStatus.Withdrawn)
        {
            return Notice(Error.Conflict("This proposal was withdrawn. Start a new proposal instead."), challenge.Id);
        }

        if (ProposalRules.AcceptsChanges(challenge.Status, challenge.DeadlineAt, (await reader.ReaderAsync(cancellationToken)).Now) is { } closed)
        {
            return Notice(closed, challenge.Id);
        }

        return View("Form", await FormPageAsync(challenge, ProposalForm.From(proposal), proposal, cancellationToken));
    }

    [HttpPost("/proposals/{id:long}")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Revise(long id, ProposalForm form, string? intent, [FromServices] ReviseProposal revise, CancellationToken cancellationToken)
    {
        if (await OwnProposalAsync(id, cancellationToken) is not { } proposal)
        {
            return NotFound();
        }

        var challenge = await reader.ChallengeOfAsync(proposal, cancellationToken);
        if (!KnownIntent(intent) || !ModelState.IsValid)
        {
            return await FormAgainAsync(challenge, form, proposal, cancellationToken);
        }

        var result = await useCases.RunAsync(revise, new ReviseProposalRequest(id, intent == "draft", form.ToInput()), cancellationToken);
        return result.IsSuccess
            ? Saved(result.Value!)
            : await FailureAsync(result.Error!, challenge, form, proposal, cancellationToken);
    }

    [HttpPost("/proposals/{id:long}/withdraw")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Withdraw(long id, [FromServices] WithdrawProposal withdraw, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(withdraw, new WithdrawProposalRequest(id), cancellationToken);
        if (!result.IsSuccess)
        {
            return Refused(result.Error!, null);
        }

        TempData[MessageKey] = "withdrawn";
        return Redirect("/my/proposals");
    }

    [HttpGet("/my/proposals")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Mine(CancellationToken cancellationToken)
    {
        ViewData["Message"] = TempData[MessageKey] as string == "withdrawn" ? text["The proposal was withdrawn. Its versions are kept in your records."].Value : null;
        return View(await reader.MineAsync(cancellationToken));
    }

    [HttpGet("/challenges/{id:long}/proposals")]
    [Authorize(Roles = Roles.Enterprise + "," + Roles.Officer)]
    public async Task<IActionResult> ForChallenge(long id, CancellationToken cancellationToken)
    {
        var result = await reader.ForChallengeAsync(id, cancellationToken);
        if (!result.IsSuccess)
        {
            return Refused(result.Error!, id);
        }

        return View(new ChallengeProposalsPage
        {
            Proposals = result.Value!,
            MayOpenPrices = viewer.IsInRole(Roles.Officer) && result.Value!.PriceEnvelopesOpenedAt is null,
            Message = TempData[MessageKey] as string == "opened" ? text["The price envelopes are open. The enterprise now sees the prices too."].Value : null,
        });
    }

    /// <summary>Opening the price envelopes is closing technical scoring: this runs the review step that does it.</summary>
    [HttpPost("/challenges/{id:long}/price-envelopes/open")]
    [Authorize(Policy = AuthPolicies.Officer)]
    public async Task<IActionResult> OpenPriceEnvelopes(long id, [FromServices] CloseTechnicalScoring closeScoring, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(closeScoring, new ReviewOf(id), cancellationToken);
        if (!result.IsSuccess)
        {
            return Refused(result.Error!, id);
        }

        TempData[MessageKey] = "opened";
        return Redirect($"/challenges/{id}/proposals");
    }

    // Helpers

    /// <summary>The proposal when it is one of the viewer's own (the form and its post are for the author only).</summary>
    private async Task<ProposalView?> OwnProposalAsync(long id, CancellationToken cancellationToken) =>
        (await reader.FindAsync(id, cancellationToken)).Value is { IsAuthor: true } proposal ? proposal : null;

    private RedirectResult Saved(ProposalSaved saved)
    {
        TempData[SavedKey] = saved.Status;
        return Redirect($"/proposals/{saved.ProposalId}");
    }

    /// <summary>A refused move on a page without a form: the 404 or 403 page, or a notice saying why it cannot be done now.</summary>
    private IActionResult Refused(Error error, long? challengeId) => error.Kind switch
    {
        ErrorKind.NotFound => NotFound(),
        ErrorKind.Forbidden => Forbid(),
        _ => Notice(Error.Conflict(error.Message), challengeId),
    };

    /// <summary>
    /// A refused save: the 404 page, a notice for a refusal the form cannot fix (NDA missing: 403; deadline passed, a
    /// live proposal already: 409), or the form again with the rules' messages beside their fields.
    /// </summary>
    /// <summary>
    /// The form's two buttons send intent "draft" or "submit"; anything else (a hand-made post, a missing button) is
    /// refused rather than read as "submit": sealing a bid must be the vendor's choice.
    /// </summary>
    private bool KnownIntent(string? intent)
    {
        if (intent is "draft" or "submit")
        {
            return true;
        }

        ModelState.AddModelError("", text["Choose \"Save as draft\" or \"Submit\". Nothing was saved."]);
        return false;
    }

    private async Task<IActionResult> FailureAsync(Error error, ChallengeDetail challenge, ProposalForm form, ProposalView? proposal, CancellationToken cancellationToken)
    {
        if (error.Kind == ErrorKind.NotFound)
        {
            return NotFound();
        }

        if (error.Kind != ErrorKind.Invalid)
        {
            return Notice(error, challenge.Id);
        }

        // Field keys are the rules' camelCase names; model state keys ignore case, so they land beside the form's fields.
        this.AddToModelState(error, text, fieldName: field => field);
        ModelState.AddModelError("", text["Please correct the marked fields. Nothing was saved."]);
        return await FormAgainAsync(challenge, form, proposal, cancellationToken);
    }

    private async Task<ViewResult> FormAgainAsync(ChallengeDetail challenge, ProposalForm form, ProposalView? proposal, CancellationToken cancellationToken)
    {
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

        var own = proposal is null ? await reader.OwnVendorsAsync(cancellationToken) : [];
        return new ProposalFormPage
        {
            Challenge = challenge,
            Form = form,
            ProposalId = proposal?.Id,
            Status = proposal?.Status ?? ProposalStatus.Draft,
            CurrentVersion = proposal?.CurrentVersion ?? 0,
            Lead = proposal?.VendorName ?? (own.Count > 0 ? own[0].Name : ""),
        };
    }

    /// <summary>A plain page saying why: 403 "Not allowed" for a Forbidden refusal, 409 "This cannot be done now" otherwise.</summary>
    private ViewResult Notice(Error error, long? challengeId)
    {
        var forbidden = error.Kind == ErrorKind.Forbidden;
        Response.StatusCode = forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict;
        return View("Notice", new ProposalNotice(
            forbidden ? text["Not allowed"] : text["This cannot be done now"],
            text[error.Message],
            challengeId is { } id ? $"/challenges/{id}" : "/my/proposals",
            challengeId is null ? text["My proposals"] : text["Back to the challenge"]));
    }
}
