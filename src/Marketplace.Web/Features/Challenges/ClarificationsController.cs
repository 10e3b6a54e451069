using Marketplace.Core.Features.Challenges;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Data.Challenges;
using Marketplace.Data.Clarifications;
using Marketplace.Web.Infrastructure;
using Marketplace.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Marketplace.Web.Features.Challenges;

/// <summary>What the challenge page shows of the lifecycle: clarifications, the NDA state and the viewer's own actions.</summary>
public sealed record ChallengeLifecyclePanel
{
    public IReadOnlyList<ClarificationView> Questions { get; init; } = [];
    public bool IsOwner { get; init; }
    public bool IsStaff { get; init; }
    public bool IsOpen { get; init; }
    public bool MayAsk { get; init; }
    public bool MayAnswer { get; init; }

    /// <summary>A vendor who must accept the NDA before reading the full text.</summary>
    public bool NdaRequired { get; init; }
    public string? QuestionDraft { get; init; }
    public long? AnswerFor { get; init; }
    public string? AnswerDraft { get; init; }
    public string? Message { get; init; }
}

public sealed record NdaPage(ChallengeDetail Challenge, bool AlreadyAccepted);

/// <summary>The challenge page's lifecycle actions: ask and answer clarification questions, accept the NDA terms.</summary>
public sealed partial class ChallengesController
{
    private const string MessageKey = "Challenges.Message";

    [HttpPost("/challenges/{id:long}/questions")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Ask(long id, string? question, [FromServices] AskQuestion askQuestion, [FromServices] IStringLocalizer<LifecycleText> text,
        CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(askQuestion, new AskQuestionRequest(id, question), cancellationToken);
        if (result.IsSuccess)
        {
            TempData[MessageKey] = text["Your question is sent. The answer will be published here for every vendor, without your name."].Value;
            return Redirect($"/challenges/{id}#questions");
        }

        return await RefusedAsync(id, result.Error!, text, panel => panel with { QuestionDraft = question }, cancellationToken);
    }

    [HttpPost("/questions/{questionId:long}/answer")]
    [Authorize]
    public async Task<IActionResult> AnswerQuestion(long questionId, long challengeId, string? answer, [FromServices] AnswerQuestion answerQuestion,
        [FromServices] IStringLocalizer<LifecycleText> text, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(answerQuestion, new AnswerQuestionRequest(questionId, answer), cancellationToken);
        if (result.IsSuccess)
        {
            TempData[MessageKey] = text["The answer is published to every viewer of the challenge."].Value;
            return Redirect($"/challenges/{result.Value}#questions");
        }

        return await RefusedAsync(challengeId, result.Error!, text, panel => panel with { AnswerFor = questionId, AnswerDraft = answer }, cancellationToken);
    }

    [HttpGet("/challenges/{id:long}/nda")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> Nda(long id, [FromServices] ChallengeLifecycleStore store, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null || !await viewer.MaySeeAsync(challenge, cancellationToken) || !challenge.IsConfidential)
        {
            return NotFound();
        }

        var accepted = await store.HasAcceptedNdaAsync(id, await viewer.OrganisationIdsAsync(cancellationToken), cancellationToken);
        return View(new NdaPage(challenge.Redacted(), accepted));
    }

    [HttpPost("/challenges/{id:long}/nda")]
    [Authorize(Policy = AuthPolicies.Vendor)]
    public async Task<IActionResult> AcceptNda(long id, [FromServices] AcceptNda acceptNda, [FromServices] IStringLocalizer<LifecycleText> text, CancellationToken cancellationToken)
    {
        var result = await useCases.RunAsync(acceptNda, new AcceptNdaRequest(id, null), cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error!.Kind switch
            {
                ErrorKind.NotFound => NotFound(),
                ErrorKind.Forbidden => Forbid(),
                _ => Redirect($"/challenges/{id}"),
            };
        }

        TempData[MessageKey] = text["You accepted the NDA terms for your organisation. The full challenge is shown below."].Value;
        return Redirect($"/challenges/{id}");
    }

    private async Task<IActionResult> RefusedAsync(long id, Error error, IStringLocalizer<LifecycleText> text, Func<ChallengeLifecyclePanel, ChallengeLifecyclePanel> keepInput,
        CancellationToken cancellationToken)
    {
        if (this.Show(error, text) is { } page)
        {
            return page;
        }

        var model = await DetailsModelAsync(id, keepInput, cancellationToken);
        return model is null ? NotFound() : View("Details", model);
    }

    private async Task<ChallengeDetailViewModel?> DetailsModelAsync(long id, Func<ChallengeLifecyclePanel, ChallengeLifecyclePanel>? customise, CancellationToken cancellationToken)
    {
        var challenge = await challenges.FindAsync(id, cancellationToken);
        if (challenge is null || !await viewer.MaySeeAsync(challenge, cancellationToken))
        {
            return null;
        }

        var fullText = await viewer.MayReadFullTextAsync(challenge, cancellationToken);
        var isOwner = await viewer.OwnsAsync(challenge.EnterpriseId, cancellationToken);
        var isStaff = viewer.IsProgrammeStaff;
        var isOpen = ChallengeWorkflow.IsOpen(challenge.Status, challenge.DeadlineAt, clock.GetUtcNow());
        var questions = fullText
            ? await HttpContext.RequestServices.GetRequiredService<ClarificationStore>()
                .ForChallengeAsync(id, await viewer.OrganisationIdsAsync(cancellationToken), isOwner || isStaff, cancellationToken)
            : [];
        var panel = new ChallengeLifecyclePanel
        {
            Questions = questions,
            IsOwner = isOwner,
            IsStaff = isStaff,
            IsOpen = isOpen,
            MayAsk = isOpen && fullText && viewer.IsInRole(Core.Accounts.Roles.Vendor),
            MayAnswer = challenge.Status == ChallengeStatus.Published && (isOwner || isStaff),
            NdaRequired = !fullText && viewer.IsInRole(Core.Accounts.Roles.Vendor),
            Message = TempData[MessageKey] as string,
        };
        if (customise is not null)
        {
            panel = customise(panel);
        }

        // The officer's reason is for the enterprise and the programme office only.
        var shown = fullText ? challenge : challenge.Redacted();
        if (!isOwner && !isStaff)
        {
            shown = shown with { StatusReason = null };
        }

        return new ChallengeDetailViewModel(shown, fullText, panel);
    }
}
