using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Features.Challenges;
using Marketplace.Data.Application;

namespace Marketplace.Data.Clarifications;

/// <summary>
/// Reads clarification questions as one viewer may see them. The rule lives in the query: answered questions for
/// everyone who may read the challenge; unanswered ones only for the asking organisation, the enterprise and the
/// programme office. The asking organisation never leaves this method; only "asked by me" does.
/// </summary>
public sealed class ClarificationStore(DbConnectionFactory connections) : IClarificationStore
{
    /// <param name="viewerOrganisationIds">The viewer's organisations (empty when signed out).</param>
    /// <param name="seesUnanswered">True for the owning enterprise's members and programme staff.</param>
    public async Task<IReadOnlyList<ClarificationView>> ForChallengeAsync(long challengeId, IReadOnlyList<long> viewerOrganisationIds, bool seesUnanswered,
        CancellationToken cancellationToken)
    {
        // Never an empty list: Dapper would expand it into SQL that not every engine accepts.
        var mine = viewerOrganisationIds.Count == 0 ? new List<long> { -1 } : viewerOrganisationIds.ToList();
        var dialect = connections.Dialect;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClarificationView>(new CommandDefinition(
            $"""
            SELECT id AS Id, challenge_id AS ChallengeId, question AS Question, asked_at AS AskedAt, answer AS Answer, answered_at AS AnsweredAt,
                   CASE WHEN {dialect.InList("asked_by_organisation", "@Mine")} THEN 1 ELSE 0 END AS AskedByMe
            FROM challenge_questions
            WHERE challenge_id = @ChallengeId
              AND (answer IS NOT NULL OR @SeesUnanswered = 1 OR {dialect.InList("asked_by_organisation", "@Mine")})
            ORDER BY CASE WHEN answer IS NULL THEN 0 ELSE 1 END, COALESCE(answered_at, asked_at) DESC, id DESC
            """, new { ChallengeId = challengeId, Mine = mine, SeesUnanswered = seesUnanswered ? 1 : 0 }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    public async Task<long> AddQuestionAsync(IUnitOfWork work, long challengeId, long userId, long organisationId, string question, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        return await db.ScalarAsync<long>(
            db.Dialect.InsertReturningId("challenge_questions", "challenge_id, asked_by_user_id, asked_by_organisation, question, asked_at",
                "@ChallengeId, @UserId, @OrganisationId, @Question, @At"),
            new { ChallengeId = challengeId, UserId = userId, OrganisationId = organisationId, Question = question, At = at }, cancellationToken);
    }

    /// <summary>A question's keys, for the use cases; never sent to a page or the API.</summary>
    public Task<QuestionState?> LoadQuestionAsync(IUnitOfWork work, long questionId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<QuestionState>(
            "SELECT id AS Id, challenge_id AS ChallengeId, asked_by_organisation AS AskedByOrganisation, answer AS Answer FROM challenge_questions WHERE id = @Id",
            new { Id = questionId }, cancellationToken);

    public async Task<bool> AnswerAsync(IUnitOfWork work, long questionId, string answer, long userId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync(
            "UPDATE challenge_questions SET answer = @Answer, answered_by_user_id = @UserId, answered_at = @At WHERE id = @Id AND answer IS NULL",
            new { Id = questionId, Answer = answer, UserId = userId, At = at }, cancellationToken) > 0;
}
