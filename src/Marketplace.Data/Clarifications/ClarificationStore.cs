using Dapper;
using Marketplace.Core.Challenges;

namespace Marketplace.Data.Clarifications;

/// <summary>
/// Reads clarification questions as one viewer may see them. The rule lives in the query: answered questions for
/// everyone who may read the challenge; unanswered ones only for the asking organisation, the enterprise and the
/// programme office. The asking organisation never leaves this method; only "asked by me" does.
/// </summary>
public sealed class ClarificationStore(DbConnectionFactory connections)
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

    public async Task<QuestionRow?> FindAsync(long questionId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<QuestionRow>(new CommandDefinition(
            "SELECT id AS Id, challenge_id AS ChallengeId, asked_by_organisation AS AskedByOrganisation, answer AS Answer FROM challenge_questions WHERE id = @Id",
            new { Id = questionId }, cancellationToken: cancellationToken));
    }

    /// <summary>A question's keys, for the handlers; never sent to a page or the API.</summary>
    public sealed record QuestionRow
    {
        public long Id { get; init; }
        public long ChallengeId { get; init; }
        public long AskedByOrganisation { get; init; }
        public string? Answer { get; init; }
    }
}
