using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Common;
using Marketplace.Core.Notifications;

namespace Marketplace.Core.Features.Challenges;

/// <summary>Which challenge, and for which of the vendor's organisations (optional when they belong to one).</summary>
public sealed record AcceptNdaRequest(long ChallengeId, long? OrganisationId);

/// <summary>The challenge and the actor's vendor organisations, read for an NDA acceptance.</summary>
public sealed record NdaCandidate(ChallengeState Challenge, IReadOnlyList<long> VendorOrganisations);

/// <summary>
/// A vendor accepts a confidential challenge's NDA terms on behalf of their organisation; from then on the
/// organisation's members read the full text. Recorded with the user, organisation, terms version and time, and
/// audited in the same transaction. Accepting again changes nothing (false).
/// </summary>
public sealed class AcceptNda(IChallengeLifecycleStore store) : UseCase<AcceptNdaRequest, NdaCandidate, long, bool>
{
    protected override async Task<NdaCandidate?> LoadAsync(UseCaseContext context, AcceptNdaRequest request, CancellationToken cancellationToken)
    {
        var state = await store.LoadStateAsync(context.Work, request.ChallengeId, cancellationToken);
        return state is null ? null : new NdaCandidate(state, context.Person.OrganisationIds.Count == 0 ? []
            : await store.OrganisationsOfKindAsync(context.Work, context.Person.OrganisationIds, "vendor", cancellationToken));
    }

    protected override Error? Authorise(UseCaseContext context, AcceptNdaRequest request, NdaCandidate? candidate)
    {
        if (candidate is null || !ChallengePolicy.IsPubliclyVisible(candidate.Challenge.Status))
        {
            return ChallengePolicy.NotFound(request.ChallengeId);
        }

        if (!context.Person.IsVendor)
        {
            return Error.Forbidden("Only vendors accept a challenge's NDA terms.");
        }

        return candidate.Challenge.IsConfidential ? null : Error.Conflict("This challenge is public; there are no NDA terms to accept.");
    }

    protected override Result<long> Decide(UseCaseContext context, AcceptNdaRequest request, NdaCandidate candidate)
    {
        var organisation = request.OrganisationId ?? (candidate.VendorOrganisations.Count > 0 ? candidate.VendorOrganisations[0] : null);
        return organisation is { } chosen && candidate.VendorOrganisations.Contains(chosen)
            ? chosen
            : Error.Forbidden("You may accept the NDA only for a vendor organisation you belong to.");
    }

    protected override async Task<Result<bool>> ApplyAsync(UseCaseContext context, AcceptNdaRequest request, NdaCandidate candidate, long organisation,
        CancellationToken cancellationToken)
    {
        var challenge = candidate.Challenge;
        if (await store.HasAcceptedNdaAsync(context.Work, challenge.Id, organisation, cancellationToken))
        {
            return false;
        }

        var name = await store.RecordNdaAcceptanceAsync(context.Work, challenge.Id, organisation, context.Person.UserId, NdaTerms.Version, context.Now, cancellationToken);
        context.Audit(challenge.Id, ChallengeActions.NdaAccepted, challenge.Status, challenge.Status, $"{name} · NDA terms {NdaTerms.Version}");
        return true;
    }
}

public sealed record AskQuestionRequest(long ChallengeId, string? Question);

/// <summary>The challenge, the asker's vendor organisation (if any) and whether it accepted the NDA.</summary>
public sealed record QuestionCandidate(ChallengeState Challenge, long? VendorOrganisation, bool NdaAccepted);

/// <summary>
/// A vendor asks a question on a published challenge that is still open (and, if confidential, whose NDA their
/// organisation accepted). The enterprise's members are notified without being told who asked.
/// </summary>
public sealed class AskQuestion(IChallengeLifecycleStore store, IClarificationStore questions) : UseCase<AskQuestionRequest, QuestionCandidate, string, long>
{
    public const int MaxQuestionLength = 2000;

    protected override async Task<QuestionCandidate?> LoadAsync(UseCaseContext context, AskQuestionRequest request, CancellationToken cancellationToken)
    {
        var state = await store.LoadStateAsync(context.Work, request.ChallengeId, cancellationToken);
        if (state is null)
        {
            return null;
        }

        var vendors = context.Person.OrganisationIds.Count == 0 ? [] : await store.OrganisationsOfKindAsync(context.Work, context.Person.OrganisationIds, "vendor", cancellationToken);
        long? vendor = vendors.Count > 0 ? vendors[0] : null;
        var nda = vendor is { } v && state.IsConfidential && await store.HasAcceptedNdaAsync(context.Work, state.Id, v, cancellationToken);
        return new QuestionCandidate(state, vendor, nda);
    }

    protected override Error? Authorise(UseCaseContext context, AskQuestionRequest request, QuestionCandidate? candidate)
    {
        if (ChallengePolicy.AsViewer(context.Actor, candidate?.Challenge, request.ChallengeId) is { } hidden)
        {
            return hidden;
        }

        if (!context.Person.IsVendor)
        {
            return Error.Forbidden("Only vendors ask clarification questions.");
        }

        return candidate!.VendorOrganisation is null ? Error.Forbidden("Your account does not belong to a vendor organisation.") : null;
    }

    protected override Result<string> Decide(UseCaseContext context, AskQuestionRequest request, QuestionCandidate candidate)
    {
        var challenge = candidate.Challenge;
        if (!ChallengeWorkflow.IsOpen(challenge.Status, challenge.DeadlineAt, context.Now))
        {
            return Error.Conflict("Questions can be asked only while the challenge is open for proposals.");
        }

        if (challenge.IsConfidential && !candidate.NdaAccepted)
        {
            return Error.Forbidden("Accept the challenge's NDA terms before asking about it.");
        }

        if (string.IsNullOrWhiteSpace(request.Question))
        {
            return Error.Invalid("question", "Write your question.");
        }

        var question = request.Question.Trim();
        return question.Length > MaxQuestionLength ? Error.Invalid("question", "The question must be at most 2000 characters.") : question;
    }

    protected override async Task<Result<long>> ApplyAsync(UseCaseContext context, AskQuestionRequest request, QuestionCandidate candidate, string question,
        CancellationToken cancellationToken)
    {
        var id = await questions.AddQuestionAsync(context.Work, candidate.Challenge.Id, context.Person.UserId, candidate.VendorOrganisation!.Value, question, context.Now, cancellationToken);
        context.Notify(NotificationKinds.QuestionAsked, candidate.Challenge.Id, candidate.Challenge.Title, null, Audience.EnterpriseOf(candidate.Challenge.Id));
        return id;
    }
}

public sealed record AnswerQuestionRequest(long QuestionId, string? Answer);

public sealed record AnswerCandidate(QuestionState Question, ChallengeState Challenge);

/// <summary>
/// The enterprise or an officer answers a question; the answer is published to every viewer of the challenge (the
/// asker stays anonymous) and every vendor following the challenge is notified. Returns the challenge's id.
/// </summary>
public sealed class AnswerQuestion(IChallengeLifecycleStore store, IClarificationStore questions) : UseCase<AnswerQuestionRequest, AnswerCandidate, string, long>
{
    public const int MaxAnswerLength = 4000;

    protected override async Task<AnswerCandidate?> LoadAsync(UseCaseContext context, AnswerQuestionRequest request, CancellationToken cancellationToken)
    {
        var question = await questions.LoadQuestionAsync(context.Work, request.QuestionId, cancellationToken);
        var challenge = question is null ? null : await store.LoadStateAsync(context.Work, question.ChallengeId, cancellationToken);
        return challenge is null ? null : new AnswerCandidate(question!, challenge);
    }

    protected override Error? Authorise(UseCaseContext context, AnswerQuestionRequest request, AnswerCandidate? candidate)
    {
        var actor = context.Person;
        if (candidate is null)
        {
            return Error.NotFound($"There is no question {request.QuestionId}.");
        }

        if (actor.IsProgrammeStaff || ChallengePolicy.Owns(actor, candidate.Challenge.EnterpriseId))
        {
            return null;
        }

        // The asking vendor knows the question exists; anyone else is not told it does.
        return actor.BelongsTo(candidate.Question.AskedByOrganisation) || ChallengePolicy.IsPubliclyVisible(candidate.Challenge.Status)
            ? Error.Forbidden("Only the enterprise that posted the challenge or the programme office answers questions.")
            : Error.NotFound($"There is no question {request.QuestionId}.");
    }

    protected override Result<string> Decide(UseCaseContext context, AnswerQuestionRequest request, AnswerCandidate candidate)
    {
        if (candidate.Question.Answer is not null)
        {
            return Error.Conflict("This question has already been answered.");
        }

        if (candidate.Challenge.Status != ChallengeStatus.Published)
        {
            return Error.Conflict("Questions can be answered only while the challenge is published.");
        }

        if (string.IsNullOrWhiteSpace(request.Answer))
        {
            return Error.Invalid("answer", "Write the answer.");
        }

        var answer = request.Answer.Trim();
        return answer.Length > MaxAnswerLength ? Error.Invalid("answer", "The answer must be at most 4000 characters.") : answer;
    }

    protected override async Task<Result<long>> ApplyAsync(UseCaseContext context, AnswerQuestionRequest request, AnswerCandidate candidate, string answer,
        CancellationToken cancellationToken)
    {
        if (!await questions.AnswerAsync(context.Work, request.QuestionId, answer, context.Person.UserId, context.Now, cancellationToken))
        {
            return Error.Conflict("This question has already been answered.");
        }

        context.Notify(NotificationKinds.QuestionAnswered, candidate.Challenge.Id, candidate.Challenge.Title, null, Audience.FollowersOf(candidate.Challenge.Id));
        return candidate.Challenge.Id;
    }
}
