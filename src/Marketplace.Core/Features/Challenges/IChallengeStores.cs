using Marketplace.Core.Application;
using Marketplace.Core.Challenges;

namespace Marketplace.Core.Features.Challenges;

/// <summary>The challenge lifecycle's writes and the reads its use cases make inside their transaction.</summary>
public interface IChallengeLifecycleStore
{
    Task<ChallengeState?> LoadStateAsync(IUnitOfWork work, long id, CancellationToken cancellationToken);

    /// <summary>The whole challenge as stored (for versions and screening), inside the transaction.</summary>
    Task<ChallengeDetail?> FindDetailAsync(IUnitOfWork work, long id, CancellationToken cancellationToken);

    /// <summary>Applies a transition only from the state it was decided in; false when someone moved it meanwhile.</summary>
    Task<bool> ApplyAsync(IUnitOfWork work, long id, ChallengeTransition transition, DateTimeOffset now, CancellationToken cancellationToken);

    Task<long> InsertDraftAsync(IUnitOfWork work, ValidChallengeDraft draft, long enterpriseId, long userId, CancellationToken cancellationToken);

    /// <summary>Replaces the text when the row still has the expected version; the new row version, or null when someone saved first.</summary>
    Task<int?> UpdateTextAsync(IUnitOfWork work, long id, int expectedRowVersion, ValidChallengeDraft draft, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> HasVersionsAsync(IUnitOfWork work, long id, CancellationToken cancellationToken);

    /// <summary>Keeps the text as the next published version; returns its number.</summary>
    Task<int> AddVersionAsync(IUnitOfWork work, ChallengeDetail detail, string? changeNote, long? userId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="organisationIds"/> are organisations of <paramref name="kind"/> (enterprise, vendor), lowest id first.</summary>
    Task<IReadOnlyList<long>> OrganisationsOfKindAsync(IUnitOfWork work, IReadOnlyList<long> organisationIds, string kind, CancellationToken cancellationToken);

    Task<bool> HasAcceptedNdaAsync(IUnitOfWork work, long challengeId, long organisationId, CancellationToken cancellationToken);

    /// <summary>Records the organisation's acceptance of the NDA terms; returns the organisation's name for the audit entry.</summary>
    Task<string> RecordNdaAcceptanceAsync(IUnitOfWork work, long challengeId, long organisationId, long userId, string termsVersion, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Published challenges whose deadline has passed, and closed ones that never received a proposal (read outside
    /// any transaction: each is then closed in its own).
    /// </summary>
    Task<IReadOnlyList<long>> DueForClosingAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>How many proposals were submitted (not drafts, not withdrawn) to the challenge.</summary>
    Task<int> SubmittedProposalCountAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken);

    /// <summary>Publishes a challenge that ended without proposals again with a new deadline; false when someone moved it meanwhile.</summary>
    Task<bool> ReopenAsync(IUnitOfWork work, long id, DateTimeOffset newDeadline, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Screens a challenge's text against the negative list (负面清单).</summary>
public interface INegativeListScreen
{
    Task<IReadOnlyList<NegativeListFlag>> ScreenAsync(ChallengeDetail challenge, CancellationToken cancellationToken);
}

/// <summary>A clarification question as the answer step needs it.</summary>
public sealed record QuestionState(long Id, long ChallengeId, long AskedByOrganisation, string? Answer);

/// <summary>Clarification questions and their answers.</summary>
public interface IClarificationStore
{
    Task<long> AddQuestionAsync(IUnitOfWork work, long challengeId, long userId, long organisationId, string question, DateTimeOffset at, CancellationToken cancellationToken);

    Task<QuestionState?> LoadQuestionAsync(IUnitOfWork work, long questionId, CancellationToken cancellationToken);

    /// <summary>Writes the answer to a still unanswered question; false when it was answered meanwhile.</summary>
    Task<bool> AnswerAsync(IUnitOfWork work, long questionId, string answer, long userId, DateTimeOffset at, CancellationToken cancellationToken);
}
