using System.Data.Common;
using System.Text.Json;
using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Challenges;
using Marketplace.Core.Proposals;
using Marketplace.Core.Features.Challenges;
using Marketplace.Data.Application;

namespace Marketplace.Data.Challenges;

/// <summary>
/// The write side of the challenge lifecycle and its work lists: drafts, guarded status changes (a change applies
/// only from the state it was decided in), published versions, attachments, NDA acceptances.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Injected store: callers depend on the instance, whether or not a method needs its fields.")]
public sealed class ChallengeLifecycleStore(DbConnectionFactory connections, ChallengeStore challenges) : IChallengeLifecycleStore
{
    // The use cases' view of this store: the transaction they run in, unwrapped once here.
    Task<ChallengeState?> IChallengeLifecycleStore.LoadStateAsync(IUnitOfWork work, long id, CancellationToken cancellationToken) =>
        LoadStateAsync(DbUnitOfWork.Of(work).Connection, DbUnitOfWork.Of(work).Transaction, id, cancellationToken);

    Task<ChallengeDetail?> IChallengeLifecycleStore.FindDetailAsync(IUnitOfWork work, long id, CancellationToken cancellationToken) =>
        challenges.FindAsync(DbUnitOfWork.Of(work).Connection, DbUnitOfWork.Of(work).Transaction, id, cancellationToken);

    Task<bool> IChallengeLifecycleStore.ApplyAsync(IUnitOfWork work, long id, ChallengeTransition transition, DateTimeOffset now, CancellationToken cancellationToken) =>
        ApplyAsync(DbUnitOfWork.Of(work).Connection, DbUnitOfWork.Of(work).Transaction, id, transition, now, cancellationToken);

    Task<long> IChallengeLifecycleStore.InsertDraftAsync(IUnitOfWork work, ValidChallengeDraft draft, long enterpriseId, long userId, CancellationToken cancellationToken) =>
        InsertDraftAsync(DbUnitOfWork.Of(work).Connection, DbUnitOfWork.Of(work).Transaction, draft, enterpriseId, userId, cancellationToken);

    Task<int?> IChallengeLifecycleStore.UpdateTextAsync(IUnitOfWork work, long id, int expectedRowVersion, ValidChallengeDraft draft, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateTextAsync(DbUnitOfWork.Of(work).Connection, DbUnitOfWork.Of(work).Transaction, id, expectedRowVersion, draft, now, cancellationToken);

    Task<bool> IChallengeLifecycleStore.HasVersionsAsync(IUnitOfWork work, long id, CancellationToken cancellationToken) =>
        HasVersionsAsync(DbUnitOfWork.Of(work).Connection, DbUnitOfWork.Of(work).Transaction, id, cancellationToken);

    Task<int> IChallengeLifecycleStore.AddVersionAsync(IUnitOfWork work, ChallengeDetail detail, string? changeNote, long? userId, DateTimeOffset at, CancellationToken cancellationToken) =>
        AddVersionAsync(DbUnitOfWork.Of(work).Connection, DbUnitOfWork.Of(work).Transaction, detail, changeNote, userId, at, cancellationToken);

    public Task<IReadOnlyList<long>> OrganisationsOfKindAsync(IUnitOfWork work, IReadOnlyList<long> organisationIds, string kind, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        return db.QueryAsync<long>($"SELECT id FROM organisations WHERE kind = @Kind AND {db.Dialect.InList("id", "@Ids")} ORDER BY id",
            new { Kind = kind, Ids = organisationIds.ToList() }, cancellationToken);
    }

    public async Task<int> SubmittedProposalCountAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>(
            "SELECT COUNT(*) FROM proposals WHERE challenge_id = @ChallengeId AND status = @Submitted",
            new { ChallengeId = challengeId, Submitted = ProposalStatus.Submitted }, cancellationToken);

    public async Task<bool> ReopenAsync(IUnitOfWork work, long id, DateTimeOffset newDeadline, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync(
            """
            UPDATE challenges SET status = @Published, status_reason = NULL, deadline_at = @Deadline, updated_at = @Now, row_version = row_version + 1
            WHERE id = @Id AND status = @NotAwarded
            """,
            new { Id = id, Published = ChallengeStatus.Published, NotAwarded = ChallengeStatus.NotAwarded, Deadline = newDeadline, Now = now }, cancellationToken) == 1;

    public async Task<bool> HasAcceptedNdaAsync(IUnitOfWork work, long challengeId, long organisationId, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>(
            "SELECT COUNT(*) FROM challenge_nda_acceptances WHERE challenge_id = @ChallengeId AND organisation_id = @OrganisationId",
            new { ChallengeId = challengeId, OrganisationId = organisationId }, cancellationToken) > 0;

    public async Task<string> RecordNdaAcceptanceAsync(IUnitOfWork work, long challengeId, long organisationId, long userId, string termsVersion, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        await db.ExecuteAsync(
            """
            INSERT INTO challenge_nda_acceptances (challenge_id, organisation_id, user_id, terms_version, accepted_at)
            VALUES (@ChallengeId, @OrganisationId, @UserId, @Terms, @At)
            """, new { ChallengeId = challengeId, OrganisationId = organisationId, UserId = userId, Terms = termsVersion, At = at }, cancellationToken);
        return await db.ScalarAsync<string>("SELECT name FROM organisations WHERE id = @Id", new { Id = organisationId }, cancellationToken) ?? "";
    }

    private static readonly JsonSerializerOptions VersionJson = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public DbConnectionFactory Connections => connections;

    public async Task<ChallengeState?> LoadStateAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<ChallengeState>(new CommandDefinition(
            """
            SELECT id AS Id, enterprise_id AS EnterpriseId, title AS Title, status AS Status, visibility AS Visibility,
                   deadline_at AS DeadlineAt, row_version AS RowVersion
            FROM challenges WHERE id = @Id
            """, new { Id = id }, transaction, cancellationToken: cancellationToken));

    public async Task<long> InsertDraftAsync(DbConnection connection, DbTransaction transaction, ValidChallengeDraft draft, long enterpriseId, long userId, CancellationToken cancellationToken)
    {
        var id = await challenges.CreateAsync(connection, transaction, new NewChallenge
        {
            EnterpriseId = enterpriseId,
            CreatedBy = userId,
            Language = draft.Language,
            Title = draft.Title,
            Industry = draft.Industry,
            Scenario = draft.Scenario,
            CurrentProcess = draft.CurrentProcess,
            DataAvailable = draft.DataAvailable,
            Constraints = draft.Constraints,
            ExpectedOutcome = draft.ExpectedOutcome,
            TargetTrl = draft.TargetTrl,
            Budget = draft.Budget,
            DeadlineAt = draft.DeadlineAt,
            Status = ChallengeStatus.Draft,
            Visibility = draft.Visibility,
            AcceptanceTargets = draft.AcceptanceTargets,
            Tags = draft.Tags,
        }, cancellationToken);
        await ReplaceAttachmentsAsync(connection, transaction, id, draft.AttachmentLinks, cancellationToken);
        return id;
    }

    /// <summary>
    /// Replaces the text when the row still has <paramref name="expectedRowVersion"/>; returns the new row version,
    /// or null when someone else saved first (nothing is written then).
    /// </summary>
    public async Task<int?> UpdateTextAsync(DbConnection connection, DbTransaction transaction, long id, int expectedRowVersion, ValidChallengeDraft draft,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE challenges SET title = @Title, industry = @Industry, scenario = @Scenario, current_process = @CurrentProcess,
                   data_available = @DataAvailable, constraints_text = @Constraints, expected_outcome = @ExpectedOutcome,
                   target_trl = @TargetTrl, budget_amount = @BudgetAmount, budget_currency = @BudgetCurrency, deadline_at = @DeadlineAt,
                   language = @Language, visibility = @Visibility, updated_at = @Now, row_version = row_version + 1
            WHERE id = @Id AND row_version = @RowVersion
            """,
            new
            {
                Id = id,
                RowVersion = expectedRowVersion,
                draft.Title,
                draft.Industry,
                draft.Scenario,
                draft.CurrentProcess,
                draft.DataAvailable,
                draft.Constraints,
                draft.ExpectedOutcome,
                draft.TargetTrl,
                BudgetAmount = draft.Budget?.Amount,
                BudgetCurrency = draft.Budget?.Currency ?? "CNY",
                draft.DeadlineAt,
                draft.Language,
                draft.Visibility,
                Now = now,
            }, transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            return null;
        }

        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM challenge_acceptance_targets WHERE challenge_id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        var position = 0;
        foreach (var target in draft.AcceptanceTargets)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO challenge_acceptance_targets (challenge_id, position, metric, threshold, test_method) VALUES (@Id, @Position, @Metric, @Threshold, @TestMethod)",
                new { Id = id, Position = ++position, target.Metric, target.Threshold, target.TestMethod }, transaction, cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM challenge_tags WHERE challenge_id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        foreach (var tag in draft.Tags)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO challenge_tags (challenge_id, tag) VALUES (@Id, @Tag)", new { Id = id, Tag = tag }, transaction, cancellationToken: cancellationToken));
        }

        await ReplaceAttachmentsAsync(connection, transaction, id, draft.AttachmentLinks, cancellationToken);
        return expectedRowVersion + 1;
    }

    /// <summary>
    /// Applies a transition only if the challenge is still in the state it was decided from; false otherwise
    /// (someone else moved it meanwhile). Stamps published_at on the first publication and keeps the officer's
    /// reason for the enterprise when it is returned or rejected.
    /// </summary>
    public async Task<bool> ApplyAsync(DbConnection connection, DbTransaction transaction, long id, ChallengeTransition transition, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The page shows why a challenge was returned, rejected or ended without an award.
        var keepsReason = transition.To is ChallengeStatus.Returned or ChallengeStatus.Rejected or ChallengeStatus.NotAwarded;
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE challenges SET status = @To, status_reason = @Reason, updated_at = @Now, row_version = row_version + 1,
                   published_at = CASE WHEN @Publishing = 1 AND published_at IS NULL THEN @Now ELSE published_at END
            WHERE id = @Id AND status = @From
            """,
            new
            {
                Id = id,
                transition.From,
                transition.To,
                Reason = keepsReason ? transition.Reason : null,
                Now = now,
                Publishing = transition.To == ChallengeStatus.Published ? 1 : 0,
            }, transaction, cancellationToken: cancellationToken));
        return updated == 1;
    }

    /// <summary>Keeps the text vendors read as the next published version; returns its number (1 for the first).</summary>
    public async Task<int> AddVersionAsync(DbConnection connection, DbTransaction transaction, ChallengeDetail detail, string? changeNote, long? userId,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var next = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(version_number), 0) + 1 FROM challenge_versions WHERE challenge_id = @Id", new { detail.Id }, transaction, cancellationToken: cancellationToken));
        var content = JsonSerializer.Serialize(new
        {
            detail.Title,
            detail.Industry,
            detail.Language,
            detail.Visibility,
            detail.Scenario,
            detail.CurrentProcess,
            detail.DataAvailable,
            detail.Constraints,
            detail.AcceptanceTargets,
            detail.ExpectedOutcome,
            detail.TargetTrl,
            detail.BudgetAmount,
            detail.BudgetCurrency,
            detail.DeadlineAt,
            detail.Tags,
            detail.AttachmentLinks,
        }, VersionJson);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO challenge_versions (challenge_id, version_number, content, change_note, created_by, created_at)
            VALUES (@Id, @Version, @Content, @Note, @UserId, @Now)
            """, new { detail.Id, Version = next, Content = content, Note = changeNote, UserId = userId, Now = now }, transaction, cancellationToken: cancellationToken));
        return next;
    }

    public async Task<bool> HasVersionsAsync(DbConnection connection, DbTransaction transaction, long challengeId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM challenge_versions WHERE challenge_id = @Id", new { Id = challengeId }, transaction, cancellationToken: cancellationToken)) > 0;

    public async Task<IReadOnlyList<ChallengeVersion>> VersionsAsync(long challengeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ChallengeVersion>(new CommandDefinition(
            """
            SELECT version_number AS VersionNumber, content AS Content, change_note AS ChangeNote, created_at AS CreatedAt
            FROM challenge_versions WHERE challenge_id = @Id ORDER BY version_number
            """, new { Id = challengeId }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>Challenges of the given enterprises in every state, most recently changed first.</summary>
    public async Task<IReadOnlyList<ChallengeWorkItem>> ForEnterprisesAsync(IReadOnlyList<long> organisationIds, CancellationToken cancellationToken)
    {
        if (organisationIds.Count == 0)
        {
            return [];
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ChallengeWorkItem>(new CommandDefinition(
            WorkItemSelect + $" WHERE {connections.Dialect.InList("c.enterprise_id", "@Ids")} ORDER BY c.updated_at DESC, c.id DESC",
            new { Ids = organisationIds.ToList() }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>The officers' queue: challenges submitted for screening, oldest first (first come, first screened).</summary>
    public async Task<IReadOnlyList<ChallengeWorkItem>> ScreeningQueueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ChallengeWorkItem>(new CommandDefinition(
            WorkItemSelect + " WHERE c.status = @Submitted ORDER BY c.updated_at, c.id",
            new { Submitted = ChallengeStatus.Submitted }, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>Published challenges whose deadline has passed.</summary>
    public async Task<IReadOnlyList<long>> DueForClosingAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(
            """
            SELECT id FROM challenges c
            WHERE (c.status = @Published AND c.deadline_at <= @Now)
               OR (c.status = @Closed AND NOT EXISTS (SELECT 1 FROM proposals p WHERE p.challenge_id = c.id AND p.status = @Submitted))
            ORDER BY c.deadline_at, c.id
            """,
            new { Published = ChallengeStatus.Published, Closed = ChallengeStatus.Closed, Submitted = ProposalStatus.Submitted, Now = now },
            cancellationToken: cancellationToken));
        return ids.ToList();
    }

    /// <summary>Whether one of the organisations accepted the challenge's NDA terms.</summary>
    public async Task<bool> HasAcceptedNdaAsync(long challengeId, IReadOnlyList<long> organisationIds, CancellationToken cancellationToken)
    {
        if (organisationIds.Count == 0)
        {
            return false;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM challenge_nda_acceptances WHERE challenge_id = @ChallengeId AND {connections.Dialect.InList("organisation_id", "@Ids")}",
            new { ChallengeId = challengeId, Ids = organisationIds.ToList() }, cancellationToken: cancellationToken)) > 0;
    }

    private const string WorkItemSelect = """
        SELECT c.id AS Id, c.title AS Title, c.industry AS Industry, c.status AS Status, c.visibility AS Visibility,
               c.status_reason AS StatusReason, c.deadline_at AS DeadlineAt, c.published_at AS PublishedAt, c.updated_at AS UpdatedAt,
               c.row_version AS RowVersion, o.id AS EnterpriseId, o.name AS EnterpriseName, o.name_en AS EnterpriseNameEn,
               (SELECT COUNT(*) FROM challenge_questions q WHERE q.challenge_id = c.id AND q.answer IS NULL) AS OpenQuestions
        FROM challenges c JOIN organisations o ON o.id = c.enterprise_id
        """;

    private static async Task ReplaceAttachmentsAsync(DbConnection connection, DbTransaction transaction, long id, IReadOnlyList<string> links, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM challenge_attachments WHERE challenge_id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        var position = 0;
        foreach (var link in links)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO challenge_attachments (challenge_id, position, url) VALUES (@Id, @Position, @Url)",
                new { Id = id, Position = ++position, Url = link }, transaction, cancellationToken: cancellationToken));
        }
    }
}
