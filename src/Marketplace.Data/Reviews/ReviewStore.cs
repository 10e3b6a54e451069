using System.Data.Common;
using Dapper;
using Marketplace.Core.Accounts;
using Marketplace.Core.Application;
using Marketplace.Core.Features.Reviews;
using Marketplace.Core.Reviews;
using Marketplace.Data.Application;
using Marketplace.Data.Identity;

namespace Marketplace.Data.Reviews;

/// <summary>One assignment as a list shows it (the officer's board, the reviewer's "my reviews").</summary>
public sealed record AssignmentItem
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string ChallengeStatus { get; init; } = "";
    public long ProposalId { get; init; }
    public string VendorName { get; init; } = "";
    /// <summary>The vendor's English name, when it gave one (English pages show it).</summary>
    public string? VendorNameEn { get; init; }
    public long ReviewerUserId { get; init; }
    public string ReviewerName { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset AssignedAt { get; init; }

    /// <summary>When the scores are due (migration 0016; set when the assignment is made).</summary>
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? RespondedAt { get; init; }
    public string? ConflictReason { get; init; }
    public int ScoredCriteria { get; init; }
    public int Criteria { get; init; }
    public bool ScoringClosed { get; init; }

    public bool IsComplete => Status == AssignmentStatus.Accepted && Criteria > 0 && ScoredCriteria >= Criteria;

    /// <summary>Live, scores missing, scoring still open and the due date passed: the reviewer is late.</summary>
    public bool IsOverdue(DateTimeOffset now) => AssignmentStatus.IsLive(Status) && !IsComplete && !ScoringClosed && DueAt is { } due && due <= now;
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

/// <summary>
/// The review tables' part of the officers' board, read in a fixed handful of queries on one connection whatever the
/// number of proposals: scores and aggregate, assignments, reviewers, quota, and who is conflicted with which proposal.
/// </summary>
public sealed record ReviewBoardData
{
    public required ReviewScores Scores { get; init; }
    public bool ScoringClosed { get; init; }
    public int? Quota { get; init; }
    public IReadOnlyList<AssignmentItem> Assignments { get; init; } = [];
    public IReadOnlyList<ReviewerPerson> Reviewers { get; init; } = [];

    /// <summary>By proposal: the users who belong to the bidding organisation or a consortium partner.</summary>
    public IReadOnlyDictionary<long, IReadOnlySet<long>> ConflictedUsers { get; init; } = new Dictionary<long, IReadOnlySet<long>>();
}

/// <summary>
/// Review data: assignments, the rubric and the append-only scores. The use cases' reads and writes (IReviewStore)
/// run in their unit of work; the pages' reads open their own connection. Both share one SQL text per question.
/// Scores are only ever inserted — there is no method that updates or deletes one.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Injected store: callers depend on the instance, whether or not a method needs its fields.")]
public sealed class ReviewStore(DbConnectionFactory connections) : IReviewStore, IAssignmentInputStore
{
    // The latest row per assignment and criterion: the history's newest id.
    private const string LatestScores = """
        SELECT s.assignment_id, s.criterion_id, s.score, s.comment, s.recorded_at
        FROM review_scores s
        WHERE s.id = (SELECT MAX(s2.id) FROM review_scores s2 WHERE s2.assignment_id = s.assignment_id AND s2.criterion_id = s.criterion_id)
        """;

    internal const string AssignmentColumns = """
        SELECT a.id AS Id, a.challenge_id AS ChallengeId, c.title AS ChallengeTitle, c.status AS ChallengeStatus, a.proposal_id AS ProposalId,
               o.name AS VendorName, o.name_en AS VendorNameEn, a.reviewer_user_id AS ReviewerUserId, u.display_name AS ReviewerName, a.status AS Status,
               a.assigned_at AS AssignedAt, a.due_at AS DueAt, a.responded_at AS RespondedAt, a.conflict_reason AS ConflictReason,
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

    // Who is conflicted with which proposal of a challenge: members of the bidding organisation or of a consortium partner.
    private const string ConflictPairs = """
        SELECT p.id AS ProposalId, m.user_id AS UserId FROM proposals p JOIN memberships m ON m.organisation_id = p.vendor_id
        WHERE p.challenge_id = @ChallengeId
        UNION
        SELECT p.id AS ProposalId, m.user_id AS UserId FROM proposals p JOIN proposal_consortium_members pc ON pc.proposal_id = p.id
        JOIN memberships m ON m.organisation_id = pc.organisation_id
        WHERE p.challenge_id = @ChallengeId
        """;

    private const string ScoringClosedSql = "SELECT COUNT(*) FROM price_envelope_openings WHERE challenge_id = @ChallengeId";

    private const string ReviewerColumns = """
        SELECT u.id AS UserId, u.display_name AS Name, u.email AS Email
        FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
        """;

    // ---- The use cases' side: inside their unit of work ----

    async Task<bool> IReviewStore.ScoringClosedAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>(ScoringClosedSql, new { ChallengeId = challengeId }, cancellationToken) > 0;

    Task<AssignmentState?> IReviewStore.LoadAssignmentAsync(IUnitOfWork work, long assignmentId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<AssignmentState>(
            """
            SELECT a.id AS Id, a.challenge_id AS ChallengeId, c.title AS ChallengeTitle, c.status AS ChallengeStatus, a.proposal_id AS ProposalId,
                   CASE WHEN p.status = 'submitted' THEN o.name END AS VendorName,
                   a.reviewer_user_id AS ReviewerUserId, a.status AS Status,
                   (SELECT COUNT(*) FROM review_scores s WHERE s.assignment_id = a.id) AS ScoreCount,
                   CASE WHEN eo.challenge_id IS NULL THEN 0 ELSE 1 END AS ScoringClosed
            FROM review_assignments a JOIN challenges c ON c.id = a.challenge_id
            JOIN proposals p ON p.id = a.proposal_id JOIN organisations o ON o.id = p.vendor_id
            LEFT JOIN price_envelope_openings eo ON eo.challenge_id = a.challenge_id
            WHERE a.id = @Id
            """, new { Id = assignmentId }, cancellationToken);

    Task<IReadOnlyList<ReviewedProposal>> IReviewStore.SubmittedProposalsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        InWork(work, (c, t) => SubmittedProposalsAsync(c, t, challengeId, cancellationToken));

    async Task<IReadOnlySet<long>> IReviewStore.ConflictedProposalIdsAsync(IUnitOfWork work, long challengeId, long userId, CancellationToken cancellationToken) =>
        (await DbUnitOfWork.Of(work).QueryAsync<long>(
            $"SELECT x.ProposalId FROM ({ConflictPairs}) x WHERE x.UserId = @UserId", new { ChallengeId = challengeId, UserId = userId }, cancellationToken)).ToHashSet();

    Task<ReviewerPerson?> IReviewStore.ReviewerAsync(IUnitOfWork work, long userId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<ReviewerPerson>(
            $"{ReviewerColumns} WHERE u.id = @UserId AND r.name = @Reviewer", new { UserId = userId, Reviewer = Roles.Reviewer }, cancellationToken);

    async Task<IReadOnlyDictionary<long, string>> IReviewStore.ExistingAssignmentsAsync(IUnitOfWork work, long challengeId, long userId, CancellationToken cancellationToken) =>
        (await DbUnitOfWork.Of(work).QueryAsync<(long ProposalId, string Status)>(
            """
            SELECT proposal_id, status FROM review_assignments
            WHERE challenge_id = @ChallengeId AND reviewer_user_id = @UserId AND status IN ('assigned', 'accepted', 'conflict_declared')
            """, new { ChallengeId = challengeId, UserId = userId }, cancellationToken))
            .GroupBy(r => r.ProposalId).ToDictionary(g => g.Key, g => g.First().Status);

    Task<int> IReviewStore.OpenAssignmentCountAsync(IUnitOfWork work, long userId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ScalarAsync<int>(
            """
            SELECT COUNT(*) FROM review_assignments a
            WHERE a.reviewer_user_id = @UserId AND a.status IN ('assigned', 'accepted')
              AND NOT EXISTS (SELECT 1 FROM price_envelope_openings eo WHERE eo.challenge_id = a.challenge_id)
            """, new { UserId = userId }, cancellationToken);

    async Task<long?> IReviewStore.InsertAssignmentAsync(IUnitOfWork work, long challengeId, long proposalId, long reviewerUserId, long? officerUserId, DateTimeOffset now,
        DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        try
        {
            return await db.ScalarAsync<long>(
                db.Dialect.InsertReturningId("review_assignments",
                    "challenge_id, proposal_id, reviewer_user_id, status, assigned_by, assigned_at, due_at",
                    "@ChallengeId, @ProposalId, @ReviewerUserId, 'assigned', @OfficerUserId, @Now, @DueAt"),
                new { ChallengeId = challengeId, ProposalId = proposalId, ReviewerUserId = reviewerUserId, OfficerUserId = officerUserId, Now = now, DueAt = dueAt },
                cancellationToken);
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // Another request made the same assignment first; the use case refuses and the runner rolls back.
            return null;
        }
    }

    async Task<bool> IReviewStore.ApplyAsync(IUnitOfWork work, long assignmentId, AssignmentMove move, long actorUserId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync(
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
                Id = assignmentId,
                move.From,
                move.To,
                move.Reason,
                Now = now,
                Actor = actorUserId,
                Responding = move.To == AssignmentStatus.Removed ? 0 : 1,
                Removing = move.To == AssignmentStatus.Removed ? 1 : 0,
            }, cancellationToken) == 1;

    // ---- Automatic assignment's batch reads (IAssignmentInputStore), inside the use case's unit of work ----

    Task<IReadOnlyList<ReviewerPerson>> IAssignmentInputStore.ReviewersAsync(IUnitOfWork work, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QueryAsync<ReviewerPerson>($"{ReviewerColumns} WHERE r.name = @Reviewer ORDER BY u.id", new { Reviewer = Roles.Reviewer }, cancellationToken);

    Task<IReadOnlyList<ConflictPair>> IAssignmentInputStore.ConflictPairsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QueryAsync<ConflictPair>(ConflictPairs, new { ChallengeId = challengeId }, cancellationToken);

    Task<IReadOnlyList<ExistingAssignment>> IAssignmentInputStore.AssignmentsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QueryAsync<ExistingAssignment>(
            """
            SELECT proposal_id AS ProposalId, reviewer_user_id AS ReviewerUserId, status AS Status FROM review_assignments
            WHERE challenge_id = @ChallengeId AND status IN ('assigned', 'accepted', 'conflict_declared')
            ORDER BY id
            """, new { ChallengeId = challengeId }, cancellationToken);

    async Task<IReadOnlyDictionary<long, int>> IAssignmentInputStore.OpenAssignmentCountsAsync(IUnitOfWork work, CancellationToken cancellationToken) =>
        (await DbUnitOfWork.Of(work).QueryAsync<(long UserId, int Open)>(
            """
            SELECT a.reviewer_user_id, COUNT(*) FROM review_assignments a
            WHERE a.status IN ('assigned', 'accepted')
              AND NOT EXISTS (SELECT 1 FROM price_envelope_openings eo WHERE eo.challenge_id = a.challenge_id)
            GROUP BY a.reviewer_user_id
            """, null, cancellationToken)).ToDictionary(r => r.UserId, r => r.Open);

    Task<IReadOnlyList<ProposalContent>> IAssignmentInputStore.SubmittedContentAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QueryAsync<ProposalContent>(
            """
            SELECT p.id AS ProposalId, pv.technical_content AS TechnicalContent
            FROM proposals p JOIN proposal_versions pv ON pv.proposal_id = p.id AND pv.version_number = p.current_version
            WHERE p.challenge_id = @ChallengeId AND p.status = 'submitted'
            ORDER BY p.id
            """, new { ChallengeId = challengeId }, cancellationToken);

    Task<IReadOnlyList<string>> IAssignmentInputStore.ChallengeTagsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QueryAsync<string>("SELECT tag FROM challenge_tags WHERE challenge_id = @ChallengeId ORDER BY tag", new { ChallengeId = challengeId }, cancellationToken);

    Task<IReadOnlyList<RubricCriterion>> IReviewStore.CriteriaAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        InWork(work, (c, t) => CriteriaAsync(c, t, challengeId, cancellationToken));

    async Task IReviewStore.ReplaceCriteriaAsync(IUnitOfWork work, long challengeId, IReadOnlyList<RubricCriterion> criteria, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        await db.ExecuteAsync("DELETE FROM review_criteria WHERE challenge_id = @ChallengeId", new { ChallengeId = challengeId }, cancellationToken);
        foreach (var c in criteria)
        {
            await db.ExecuteAsync(
                "INSERT INTO review_criteria (challenge_id, position, name_zh, name_en, weight) VALUES (@ChallengeId, @Position, @NameZh, @NameEn, @Weight)",
                new { ChallengeId = challengeId, c.Position, c.NameZh, c.NameEn, c.Weight }, cancellationToken);
        }
    }

    Task<int> IReviewStore.ScoreCountAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ScalarAsync<int>(
            "SELECT COUNT(*) FROM review_scores s JOIN review_assignments a ON a.id = s.assignment_id WHERE a.challenge_id = @ChallengeId",
            new { ChallengeId = challengeId }, cancellationToken);

    async Task IReviewStore.AppendScoresAsync(IUnitOfWork work, long assignmentId, IReadOnlyList<ScoreEntry> scores, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        foreach (var s in scores)
        {
            await db.ExecuteAsync(
                "INSERT INTO review_scores (assignment_id, criterion_id, score, comment, recorded_at) VALUES (@AssignmentId, @CriterionId, @Score, @Comment, @Now)",
                new { AssignmentId = assignmentId, s.CriterionId, s.Score, s.Comment, Now = now }, cancellationToken);
        }
    }

    Task<ReviewScores> IReviewStore.ScoresAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        InWork(work, (c, t) => ScoresAsync(c, t, challengeId, cancellationToken));

    async Task<int?> IReviewStore.CloseScoringAsync(IUnitOfWork work, long challengeId, long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        try
        {
            await db.ExecuteAsync("INSERT INTO price_envelope_openings (challenge_id, opened_at, opened_by) VALUES (@ChallengeId, @Now, @UserId)",
                new { ChallengeId = challengeId, Now = now, UserId = userId }, cancellationToken);
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // Closed by another request at the same moment; the use case refuses and the runner rolls back.
            return null;
        }

        return await db.ScalarAsync<int>("SELECT COUNT(*) FROM proposals WHERE challenge_id = @ChallengeId AND status = 'submitted'",
            new { ChallengeId = challengeId }, cancellationToken);
    }

    Task<int?> IReviewStore.QuotaAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        InWork(work, (c, t) => QuotaAsync(c, t, challengeId, cancellationToken));

    async Task IReviewStore.SetQuotaAsync(IUnitOfWork work, long challengeId, int quota, long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        var parameters = new { ChallengeId = challengeId, Quota = quota, UserId = userId, Now = now };
        if (await db.ExecuteAsync("UPDATE award_quotas SET quota = @Quota, set_by = @UserId, set_at = @Now WHERE challenge_id = @ChallengeId", parameters, cancellationToken) == 0)
        {
            await db.ExecuteAsync("INSERT INTO award_quotas (challenge_id, quota, set_by, set_at) VALUES (@ChallengeId, @Quota, @UserId, @Now)", parameters, cancellationToken);
        }
    }

    Task<IReadOnlyList<long>> IReviewStore.AssignedReviewerIdsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QueryAsync<long>(
            "SELECT DISTINCT reviewer_user_id FROM review_assignments WHERE challenge_id = @ChallengeId AND status IN ('assigned', 'accepted')",
            new { ChallengeId = challengeId }, cancellationToken);

    // ---- The pages' side: reads on their own connection ----

    /// <summary>The submitted proposals, rubric and aggregate of a challenge as they stand.</summary>
    public async Task<ReviewScores> ScoresAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await ScoresAsync(connection, null, challengeId, cancellationToken);
    }

    /// <summary>The latest score per criterion of every accepted assignment of a challenge.</summary>
    public async Task<IReadOnlyList<LatestScore>> LatestScoresAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await LatestScoresAsync(connection, null, challengeId, cancellationToken);
    }

    public async Task<IReadOnlyList<RubricCriterion>> CriteriaAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await CriteriaAsync(connection, null, challengeId, cancellationToken);
    }

    /// <summary>Every user with the Reviewer role, by name.</summary>
    public async Task<IReadOnlyList<ReviewerPerson>> ReviewersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await ReviewersAsync(connection, cancellationToken);
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

    /// <summary>Every assignment of a challenge, in every state (the officers' board keeps the records).</summary>
    public async Task<IReadOnlyList<AssignmentItem>> ForChallengeAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await ForChallengeAsync(connection, challengeId, cancellationToken);
    }

    /// <summary>A reviewer's own assignments, newest first.</summary>
    public async Task<IReadOnlyList<AssignmentItem>> ForReviewerAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AssignmentItem>(new CommandDefinition(
            $"{AssignmentColumns} WHERE a.reviewer_user_id = @UserId ORDER BY a.assigned_at DESC, a.id DESC",
            new { UserId = userId }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>One assignment with its reviewer (the caller asks <see cref="ReviewPolicy"/> who may see it).</summary>
    public async Task<AssignmentItem?> AssignmentAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AssignmentItem>(new CommandDefinition(
            $"{AssignmentColumns} WHERE a.id = @Id", new { Id = id }, cancellationToken: cancellationToken));
    }

    /// <summary>The review tables' part of the officers' board (see <see cref="ReviewBoardData"/>).</summary>
    public async Task<ReviewBoardData> BoardDataAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var conflicts = await connection.QueryAsync<(long ProposalId, long UserId)>(new CommandDefinition(
            $"SELECT x.ProposalId, x.UserId FROM ({ConflictPairs}) x", new { ChallengeId = challengeId }, cancellationToken: cancellationToken));
        return new ReviewBoardData
        {
            Scores = await ScoresAsync(connection, null, challengeId, cancellationToken),
            ScoringClosed = await connection.ExecuteScalarAsync<int>(new CommandDefinition(ScoringClosedSql, new { ChallengeId = challengeId }, cancellationToken: cancellationToken)) > 0,
            Quota = await QuotaAsync(connection, null, challengeId, cancellationToken),
            Assignments = await ForChallengeAsync(connection, challengeId, cancellationToken),
            Reviewers = await ReviewersAsync(connection, cancellationToken),
            ConflictedUsers = conflicts.GroupBy(c => c.ProposalId).ToDictionary(g => g.Key, g => (IReadOnlySet<long>)g.Select(c => c.UserId).ToHashSet()),
        };
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

    // ---- One SQL text per question, on whichever connection and transaction the caller has ----

    private static Task<T> InWork<T>(IUnitOfWork work, Func<DbConnection, DbTransaction, Task<T>> read)
    {
        var db = DbUnitOfWork.Of(work);
        return read(db.Connection, db.Transaction);
    }

    internal static async Task<IReadOnlyList<ReviewedProposal>> SubmittedProposalsAsync(DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<ReviewedProposal>(new CommandDefinition(
            """
            SELECT p.id AS ProposalId, p.vendor_id AS VendorId, o.name AS VendorName, o.name_en AS VendorNameEn, p.current_version AS CurrentVersion
            FROM proposals p JOIN organisations o ON o.id = p.vendor_id
            WHERE p.challenge_id = @ChallengeId AND p.status = 'submitted'
            ORDER BY p.first_submitted_at, p.id
            """, new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken))).ToList();

    internal static async Task<IReadOnlyList<RubricCriterion>> CriteriaAsync(DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<RubricCriterion>(new CommandDefinition(
            "SELECT id AS Id, position AS Position, name_zh AS NameZh, name_en AS NameEn, weight AS Weight FROM review_criteria WHERE challenge_id = @ChallengeId ORDER BY position",
            new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken))).ToList();

    internal static async Task<IReadOnlyList<LatestScore>> LatestScoresAsync(DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<LatestRow>(new CommandDefinition(
            $"""
            SELECT l.assignment_id AS AssignmentId, a.proposal_id AS ProposalId, l.criterion_id AS CriterionId, l.score AS Score, l.comment AS Comment
            FROM ({LatestScores}) l JOIN review_assignments a ON a.id = l.assignment_id
            WHERE a.challenge_id = @ChallengeId AND a.status = 'accepted'
            ORDER BY l.assignment_id, l.criterion_id
            """, new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken)))
            .Select(r => new LatestScore(r.AssignmentId, r.ProposalId, r.CriterionId, r.Score, r.Comment)).ToList();

    private static async Task<IReadOnlyList<ReviewerOfProposal>> AcceptedAssignmentsAsync(DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<AcceptedRow>(new CommandDefinition(
            """
            SELECT a.id AS AssignmentId, a.proposal_id AS ProposalId, a.reviewer_user_id AS ReviewerUserId, u.display_name AS ReviewerName
            FROM review_assignments a JOIN users u ON u.id = a.reviewer_user_id
            WHERE a.challenge_id = @ChallengeId AND a.status = 'accepted' ORDER BY a.id
            """, new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken)))
            .Select(r => new ReviewerOfProposal(r.AssignmentId, r.ProposalId, r.ReviewerUserId, r.ReviewerName)).ToList();

    /// <summary>The aggregate of a challenge: four reads, then the arithmetic in Core.</summary>
    internal static async Task<ReviewScores> ScoresAsync(DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken)
    {
        var proposals = await SubmittedProposalsAsync(connection, transaction, challengeId, cancellationToken);
        var rubric = await CriteriaAsync(connection, transaction, challengeId, cancellationToken);
        var accepted = await AcceptedAssignmentsAsync(connection, transaction, challengeId, cancellationToken);
        var latest = await LatestScoresAsync(connection, transaction, challengeId, cancellationToken);
        return new ReviewScores(proposals, rubric, ReviewAggregator.Aggregate(proposals.Select(p => p.ProposalId).ToList(), rubric, accepted, latest));
    }

    internal static async Task<IReadOnlyList<ReviewerPerson>> ReviewersAsync(DbConnection connection, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<ReviewerPerson>(new CommandDefinition(
            $"{ReviewerColumns} WHERE r.name = @Reviewer ORDER BY u.display_name, u.id", new { Reviewer = Roles.Reviewer }, cancellationToken: cancellationToken))).ToList();

    internal static async Task<IReadOnlyList<AssignmentItem>> ForChallengeAsync(DbConnection connection, long challengeId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<AssignmentItem>(new CommandDefinition(
            $"{AssignmentColumns} WHERE a.challenge_id = @ChallengeId ORDER BY a.proposal_id, a.id",
            new { ChallengeId = challengeId }, cancellationToken: cancellationToken))).ToList();

    internal static Task<int?> QuotaAsync(DbConnection connection, DbTransaction? transaction, long challengeId, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT quota FROM award_quotas WHERE challenge_id = @ChallengeId", new { ChallengeId = challengeId }, transaction, cancellationToken: cancellationToken));

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
