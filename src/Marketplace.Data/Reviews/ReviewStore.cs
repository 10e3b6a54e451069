using System.Data.Common;
using Dapper;
using Marketplace.Core.Accounts;
using Marketplace.Core.Reviews;

namespace Marketplace.Data.Reviews;

/// <summary>An assignment as a handler decides on it, with its challenge's state, read inside the transaction.</summary>
public sealed record AssignmentState
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string ChallengeStatus { get; init; } = "";
    public long ProposalId { get; init; }
    public long ReviewerUserId { get; init; }
    public string Status { get; init; } = "";
    public int ScoreCount { get; init; }
    public bool ScoringClosed { get; init; }
}

/// <summary>A submitted proposal of a challenge under review (no content: names and ids only).</summary>
public sealed record ReviewedProposal
{
    public long ProposalId { get; init; }
    public long VendorId { get; init; }
    public string VendorName { get; init; } = "";
    public int CurrentVersion { get; init; }
}

/// <summary>One assignment as a list shows it (the officer's board, the reviewer's "my reviews").</summary>
public sealed record AssignmentItem
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string ChallengeStatus { get; init; } = "";
    public long ProposalId { get; init; }
    public string VendorName { get; init; } = "";
    public long ReviewerUserId { get; init; }
    public string ReviewerName { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset AssignedAt { get; init; }
    public DateTimeOffset? RespondedAt { get; init; }
    public string? ConflictReason { get; init; }
    public int ScoredCriteria { get; init; }
    public int Criteria { get; init; }
    public bool ScoringClosed { get; init; }

    public bool IsComplete => Status == AssignmentStatus.Accepted && Criteria > 0 && ScoredCriteria >= Criteria;
}

/// <summary>One row of a reviewer's score history (every save is kept).</summary>
public sealed record ScoreRecord
{
    public long Id { get; init; }
    public long AssignmentId { get; init; }
    public long CriterionId { get; init; }
    public int Score { get; init; }
    public string Comment { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>A challenge on the officers' review list.</summary>
public sealed record ReviewQueueItem
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset DeadlineAt { get; init; }
    public int Proposals { get; init; }
    public int Assignments { get; init; }
}

/// <summary>A reviewer the officer may assign (has the Reviewer role).</summary>
public sealed record ReviewerPerson
{
    public long UserId { get; init; }
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
}

/// <summary>
/// Review data: assignments, the rubric and the append-only scores. Reads that a handler decides on take its
/// transaction. Scores are only ever inserted — there is no method that updates or deletes one.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Injected store: callers depend on the instance, whether or not a method needs its fields.")]
public sealed class ReviewStore(DbConnectionFactory connections)
{
    public DbConnectionFactory Connections => connections;

    private SqlDialect Dialect => connections.Dialect;

    // The latest row per assignment and criterion: the history's newest id.
    private const string LatestScores = """
        SELECT s.assignment_id, s.criterion_id, s.score, s.comment, s.recorded_at
        FROM review_scores s
        WHERE s.id = (SELECT MAX(s2.id) FROM review_scores s2 WHERE s2.assignment_id = s.assignment_id AND s2.criterion_id = s.criterion_id)
        """;

    private const string AssignmentColumns = """
        SELECT a.id AS Id, a.challenge_id AS ChallengeId, c.title AS ChallengeTitle, c.status AS ChallengeStatus, a.proposal_id AS ProposalId,
               o.name AS VendorName, a.reviewer_user_id AS ReviewerUserId, u.display_name AS ReviewerName, a.status AS Status,
               a.assigned_at AS AssignedAt, a.responded_at AS RespondedAt, a.conflict_reason AS ConflictReason,
               (SELECT COUNT(DISTINCT s.criterion_id) FROM review_scores s WHERE s.assignment_id = a.id) AS ScoredCriteria,
               (SELECT COUNT(*) FROM review_criteria rc WHERE rc.challenge_id = a.challenge_id) AS Criteria,
               CASE WHEN eo.challenge_id IS NULL THEN 0 ELSE 1 END AS ScoringClosed
        FROM review_assignments a
        JOIN challenges c ON c.id = a.challenge_id
        JOIN proposals p ON p.id = a.proposal_id
        JOIN organisations o ON o.id = p.vendor_id
        JOIN users u ON u.id = a.reviewer_user_id
        LEFT JOIN price_envelope_openings eo ON eo.challenge_id = a.challenge_id
        """;

    public async Task<AssignmentState?> LoadAssignmentAsync(DbConnection connection, DbTransaction transaction, long id, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<AssignmentState>(new CommandDefinition(
            """
            SELECT a.id AS Id, a.challenge_id AS ChallengeId, c.title AS ChallengeTitle, c.status AS ChallengeStatus, a.proposal_id AS ProposalId,
                   a.reviewer_user_id AS ReviewerUserId, a.status AS Status,
                   (SELECT COUNT(*) FROM review_scores s WHERE s.assignment_id = a.id) AS ScoreCount,
                   CASE WHEN eo.challenge_id IS NULL THEN 0 ELSE 1 END AS ScoringClosed
            FROM review_assignments a JOIN challenges c ON c.id = a.challenge_id
            LEFT JOIN price_envelope_openings eo ON eo.challenge_id = a.challenge_id
            WHERE a.id = @Id
            """, new { Id = id }, transaction, cancellationToken: cancellationToken));

    /// <summary>The submitted proposals of a challenge, oldest first (withdrawn ones and drafts never go to review).</summary>
    public async Task<IReadOnlyList<ReviewedProposal>> SubmittedProposalsAsync(DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<ReviewedProposal>(new CommandDefinition(
            """
            SELECT p.id AS ProposalId, p.vendor_id AS VendorId, o.name AS VendorName, p.current_version AS CurrentVersion
            FROM proposals p JOIN organisations o ON o.id = p.vendor_id
            WHERE p.challenge_id = @ChallengeId AND p.status = 'submitted'
            ORDER BY p.first_submitted_at, p.id
            """, new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken))).ToList();

    public async Task<IReadOnlyList<ReviewedProposal>> SubmittedProposalsAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await SubmittedProposalsAsync(connection, null, challengeId, cancellationToken);
    }

    /// <summary>
    /// The challenge's proposals this user has a conflict of interest with: they are a member of the bidding
    /// organisation or of one of its consortium partners.
    /// </summary>
    public async Task<IReadOnlySet<long>> ConflictedProposalIdsAsync(DbConnection connection, DbTransaction transaction, long challengeId, long userId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<long>(new CommandDefinition(
            """
            SELECT p.id FROM proposals p JOIN memberships m ON m.organisation_id = p.vendor_id
            WHERE p.challenge_id = @ChallengeId AND m.user_id = @UserId
            UNION
            SELECT p.id FROM proposals p JOIN proposal_consortium_members pc ON pc.proposal_id = p.id
            JOIN memberships m ON m.organisation_id = pc.organisation_id
            WHERE p.challenge_id = @ChallengeId AND m.user_id = @UserId
            """, new { ChallengeId = challengeId, UserId = userId }, transaction, cancellationToken: cancellationToken))).ToHashSet();

    /// <summary>The user, when they hold the Reviewer role; null otherwise.</summary>
    public async Task<ReviewerPerson?> ReviewerAsync(DbConnection connection, DbTransaction? transaction, long userId, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<ReviewerPerson>(new CommandDefinition(
            """
            SELECT u.id AS UserId, u.display_name AS Name, u.email AS Email
            FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
            WHERE u.id = @UserId AND r.name = @Reviewer
            """, new { UserId = userId, Reviewer = Roles.Reviewer }, transaction, cancellationToken: cancellationToken));

    /// <summary>Every user with the Reviewer role, by name.</summary>
    public async Task<IReadOnlyList<ReviewerPerson>> ReviewersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ReviewerPerson>(new CommandDefinition(
            """
            SELECT u.id AS UserId, u.display_name AS Name, u.email AS Email
            FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
            WHERE r.name = @Reviewer ORDER BY u.display_name, u.id
            """, new { Reviewer = Roles.Reviewer }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Proposals of the challenge this reviewer is already on (live) or declared a conflict with.</summary>
    public async Task<IReadOnlyDictionary<long, string>> ExistingAssignmentsAsync(DbConnection connection, DbTransaction transaction, long challengeId, long userId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(long ProposalId, string Status)>(new CommandDefinition(
            """
            SELECT proposal_id, status FROM review_assignments
            WHERE challenge_id = @ChallengeId AND reviewer_user_id = @UserId AND status IN ('assigned', 'accepted', 'conflict_declared')
            """, new { ChallengeId = challengeId, UserId = userId }, transaction, cancellationToken: cancellationToken)))
            .GroupBy(r => r.ProposalId).ToDictionary(g => g.Key, g => g.First().Status);

    /// <summary>The reviewer's open assignments across challenges whose technical scoring has not closed.</summary>
    public async Task<int> OpenAssignmentCountAsync(DbConnection connection, DbTransaction transaction, long userId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            SELECT COUNT(*) FROM review_assignments a
            WHERE a.reviewer_user_id = @UserId AND a.status IN ('assigned', 'accepted')
              AND NOT EXISTS (SELECT 1 FROM price_envelope_openings eo WHERE eo.challenge_id = a.challenge_id)
            """, new { UserId = userId }, transaction, cancellationToken: cancellationToken));

    public async Task<long> InsertAssignmentAsync(DbConnection connection, DbTransaction transaction, long challengeId, long proposalId, long reviewerUserId,
        long officerUserId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            Dialect.InsertReturningId("review_assignments",
                "challenge_id, proposal_id, reviewer_user_id, status, assigned_by, assigned_at",
                "@ChallengeId, @ProposalId, @ReviewerUserId, 'assigned', @OfficerUserId, @Now"),
            new { ChallengeId = challengeId, ProposalId = proposalId, ReviewerUserId = reviewerUserId, OfficerUserId = officerUserId, Now = now },
            transaction, cancellationToken: cancellationToken));

    /// <summary>Applies an assignment move guarded by the state it was decided from; false means someone moved it first.</summary>
    public async Task<bool> ApplyAsync(DbConnection connection, DbTransaction transaction, long id, AssignmentMove move, long actorUserId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE review_assignments SET status = @To,
                   responded_at = CASE WHEN @Responding = 1 THEN @Now ELSE responded_at END,
                   conflict_reason = CASE WHEN @Responding = 1 THEN @Reason ELSE conflict_reason END,
                   removed_by = CASE WHEN @Removing = 1 THEN @Actor ELSE removed_by END,
                   removed_at = CASE WHEN @Removing = 1 THEN @Now ELSE removed_at END
            WHERE id = @Id AND status = @From
            """,
            new
            {
                Id = id,
                move.From,
                move.To,
                move.Reason,
                Now = now,
                Actor = actorUserId,
                Responding = move.To == AssignmentStatus.Removed ? 0 : 1,
                Removing = move.To == AssignmentStatus.Removed ? 1 : 0,
            }, transaction, cancellationToken: cancellationToken)) == 1;

    public async Task<IReadOnlyList<RubricCriterion>> CriteriaAsync(DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<RubricCriterion>(new CommandDefinition(
            "SELECT id AS Id, position AS Position, name_zh AS NameZh, name_en AS NameEn, weight AS Weight FROM review_criteria WHERE challenge_id = @ChallengeId ORDER BY position",
            new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken))).ToList();

    public async Task<IReadOnlyList<RubricCriterion>> CriteriaAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await CriteriaAsync(connection, null, challengeId, cancellationToken);
    }

    /// <summary>Writes the rubric's rows; the caller has checked that no score refers to the old ones.</summary>
    public async Task ReplaceCriteriaAsync(DbConnection connection, DbTransaction transaction, long challengeId, IReadOnlyList<RubricCriterion> criteria, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM review_criteria WHERE challenge_id = @ChallengeId", new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken));
        foreach (var c in criteria)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO review_criteria (challenge_id, position, name_zh, name_en, weight) VALUES (@ChallengeId, @Position, @NameZh, @NameEn, @Weight)",
                new { ChallengeId = challengeId, c.Position, c.NameZh, c.NameEn, c.Weight }, transaction, cancellationToken: cancellationToken));
        }
    }

    public async Task<int> ScoreCountAsync(DbConnection connection, DbTransaction transaction, long challengeId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM review_scores s JOIN review_assignments a ON a.id = s.assignment_id WHERE a.challenge_id = @ChallengeId",
            new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken));

    /// <summary>Appends one save of scores: new rows only, never an UPDATE — the history is the table.</summary>
    public async Task AppendScoresAsync(DbConnection connection, DbTransaction transaction, long assignmentId, IReadOnlyList<ScoreEntry> scores, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var s in scores)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO review_scores (assignment_id, criterion_id, score, comment, recorded_at) VALUES (@AssignmentId, @CriterionId, @Score, @Comment, @Now)",
                new { AssignmentId = assignmentId, s.CriterionId, s.Score, s.Comment, Now = now }, transaction, cancellationToken: cancellationToken));
        }
    }

    /// <summary>Every score row of one assignment, newest first.</summary>
    public async Task<IReadOnlyList<ScoreRecord>> HistoryAsync(long assignmentId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ScoreRecord>(new CommandDefinition(
            """
            SELECT id AS Id, assignment_id AS AssignmentId, criterion_id AS CriterionId, score AS Score, comment AS Comment, recorded_at AS RecordedAt
            FROM review_scores WHERE assignment_id = @Id ORDER BY id DESC
            """, new { Id = assignmentId }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The latest score per criterion of every accepted assignment of a challenge.</summary>
    public async Task<IReadOnlyList<LatestScore>> LatestScoresAsync(DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<LatestRow>(new CommandDefinition(
            $"""
            SELECT l.assignment_id AS AssignmentId, a.proposal_id AS ProposalId, l.criterion_id AS CriterionId, l.score AS Score, l.comment AS Comment
            FROM ({LatestScores}) l JOIN review_assignments a ON a.id = l.assignment_id
            WHERE a.challenge_id = @ChallengeId AND a.status = 'accepted'
            ORDER BY l.assignment_id, l.criterion_id
            """, new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken)))
            .Select(r => new LatestScore(r.AssignmentId, r.ProposalId, r.CriterionId, r.Score, r.Comment)).ToList();

    public async Task<IReadOnlyList<ReviewerOfProposal>> AcceptedAssignmentsAsync(DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<AcceptedRow>(new CommandDefinition(
            """
            SELECT a.id AS AssignmentId, a.proposal_id AS ProposalId, a.reviewer_user_id AS ReviewerUserId, u.display_name AS ReviewerName
            FROM review_assignments a JOIN users u ON u.id = a.reviewer_user_id
            WHERE a.challenge_id = @ChallengeId AND a.status = 'accepted' ORDER BY a.id
            """, new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken)))
            .Select(r => new ReviewerOfProposal(r.AssignmentId, r.ProposalId, r.ReviewerUserId, r.ReviewerName)).ToList();

    /// <summary>Every assignment of a challenge, in every state (the officers' board keeps the records).</summary>
    public async Task<IReadOnlyList<AssignmentItem>> ForChallengeAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AssignmentItem>(new CommandDefinition(
            $"{AssignmentColumns} WHERE a.challenge_id = @ChallengeId ORDER BY a.proposal_id, a.id",
            new { ChallengeId = challengeId }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>A reviewer's own assignments, newest first.</summary>
    public async Task<IReadOnlyList<AssignmentItem>> ForReviewerAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AssignmentItem>(new CommandDefinition(
            $"{AssignmentColumns} WHERE a.reviewer_user_id = @UserId ORDER BY a.assigned_at DESC, a.id DESC",
            new { UserId = userId }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>One assignment, only for the reviewer it belongs to.</summary>
    public async Task<AssignmentItem?> OfReviewerAsync(long id, long userId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AssignmentItem>(new CommandDefinition(
            $"{AssignmentColumns} WHERE a.id = @Id AND a.reviewer_user_id = @UserId",
            new { Id = id, UserId = userId }, cancellationToken: cancellationToken));
    }

    /// <summary>Reviewers with a live or accepted assignment on the challenge (for the decision's notifications).</summary>
    public async Task<IReadOnlyList<long>> AssignedReviewerIdsAsync(DbConnection connection, DbTransaction transaction, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT DISTINCT reviewer_user_id FROM review_assignments WHERE challenge_id = @ChallengeId AND status IN ('assigned', 'accepted')",
            new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken))).ToList();

    public async Task<int?> QuotaAsync(DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT quota FROM award_quotas WHERE challenge_id = @ChallengeId", new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken));

    public async Task<int?> QuotaAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await QuotaAsync(connection, null, challengeId, cancellationToken);
    }

    public async Task SetQuotaAsync(DbConnection connection, DbTransaction transaction, long challengeId, int quota, long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE award_quotas SET quota = @Quota, set_by = @UserId, set_at = @Now WHERE challenge_id = @ChallengeId",
            new { ChallengeId = challengeId, Quota = quota, UserId = userId, Now = now }, transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO award_quotas (challenge_id, quota, set_by, set_at) VALUES (@ChallengeId, @Quota, @UserId, @Now)",
                new { ChallengeId = challengeId, Quota = quota, UserId = userId, Now = now }, transaction, cancellationToken: cancellationToken));
        }
    }

    /// <summary>Challenges whose review is the programme office's work now: past the deadline, not yet decided (and recently decided).</summary>
    public async Task<IReadOnlyList<ReviewQueueItem>> QueueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ReviewQueueItem>(new CommandDefinition(
            """
            SELECT c.id AS Id, c.title AS Title, c.status AS Status, c.deadline_at AS DeadlineAt,
                   (SELECT COUNT(*) FROM proposals p WHERE p.challenge_id = c.id AND p.status = 'submitted') AS Proposals,
                   (SELECT COUNT(*) FROM review_assignments a WHERE a.challenge_id = c.id AND a.status IN ('assigned', 'accepted')) AS Assignments
            FROM challenges c
            WHERE c.status IN ('closed', 'under_review', 'awarded', 'not_awarded') OR (c.status = 'published' AND c.deadline_at <= @Now)
            ORDER BY CASE c.status WHEN 'under_review' THEN 0 WHEN 'closed' THEN 1 WHEN 'published' THEN 1 ELSE 2 END, c.deadline_at DESC, c.id
            """, new { Now = now }, cancellationToken: cancellationToken))).ToList();
    }

    public static async Task<bool> ScoringClosedAsync(DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM price_envelope_openings WHERE challenge_id = @ChallengeId", new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken)) > 0;

    private sealed class LatestRow
    {
        public long AssignmentId { get; init; }
        public long ProposalId { get; init; }
        public long CriterionId { get; init; }
        public int Score { get; init; }
        public string Comment { get; init; } = "";
    }

    private sealed class AcceptedRow
    {
        public long AssignmentId { get; init; }
        public long ProposalId { get; init; }
        public long ReviewerUserId { get; init; }
        public string ReviewerName { get; init; } = "";
    }
}
