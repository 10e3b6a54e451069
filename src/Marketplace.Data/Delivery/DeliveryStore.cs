using System.Text.Json;
using Dapper;
using Marketplace.Core.Application;
using Marketplace.Core.Delivery;
using Marketplace.Core.Features.Delivery;
using Marketplace.Core.Vendors;
using Marketplace.Data.Application;
using Marketplace.Data.Vendors;

namespace Marketplace.Data.Delivery;

/// <summary>
/// Delivery projects, milestones, evidence, decisions, payment releases, stage adjustments, failure filings and
/// portfolio consent. The use cases' reads and writes run on the unit of work they are given; reads for pages take the
/// viewer's <see cref="ProjectScope"/> (from <see cref="ProjectPolicy"/>) so SQL never returns another organisation's project.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Injected store: callers depend on the instance, whether or not a method needs its fields.")]
public sealed class DeliveryStore(DbConnectionFactory connections, VendorStore vendors) : IProjectStore, IMilestoneStore, IStageAdjustmentStore, IPortfolioConsentStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private SqlDialect Dialect => connections.Dialect;

    private const string ProjectStateSql = """
        SELECT p.id AS Id, p.challenge_id AS ChallengeId, c.title AS ChallengeTitle, c.status AS ChallengeStatus, p.enterprise_id AS EnterpriseId,
               p.vendor_id AS VendorId, p.proposal_id AS ProposalId, p.proposal_version AS ProposalVersion, p.status AS Status, p.currency AS Currency
        FROM delivery_projects p JOIN challenges c ON c.id = p.challenge_id
        """;

    private const string MilestoneColumns = """
        SELECT id AS Id, project_id AS ProjectId, position AS Position, name AS Name, due_on AS DueOn, deliverable AS Deliverable,
               payment_share AS PaymentShare, payment_amount AS PaymentAmount, status AS Status
        FROM delivery_milestones
        """;

    // ---- projects ----

    public Task<ProjectState?> LoadProjectAsync(IUnitOfWork work, long projectId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<ProjectState>($"{ProjectStateSql} WHERE p.id = @Id", new { Id = projectId }, cancellationToken);

    public Task<long?> ProjectOfMilestoneAsync(IUnitOfWork work, long milestoneId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ScalarAsync<long?>("SELECT project_id FROM delivery_milestones WHERE id = @Id", new { Id = milestoneId }, cancellationToken);

    public Task<long?> ProjectOfAdjustmentAsync(IUnitOfWork work, long adjustmentId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ScalarAsync<long?>("SELECT project_id FROM stage_adjustments WHERE id = @Id", new { Id = adjustmentId }, cancellationToken);

    public Task<IReadOnlyList<WinningVersion>> WinnersAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QueryAsync<WinningVersion>(
            """
            SELECT w.proposal_id AS ProposalId, w.vendor_id AS VendorId, w.proposal_version AS ProposalVersion, pv.technical_content AS TechnicalContent,
                   pe.amount AS PriceAmount, pe.currency AS PriceCurrency
            FROM award_winners w
            JOIN proposal_versions pv ON pv.proposal_id = w.proposal_id AND pv.version_number = w.proposal_version
            LEFT JOIN proposal_price_envelopes pe ON pe.proposal_version_id = pv.id
            WHERE w.challenge_id = @ChallengeId
            ORDER BY w.position
            """, new { ChallengeId = challengeId }, cancellationToken);

    public async Task<long> InsertProjectAsync(IUnitOfWork work, long challengeId, long enterpriseId, WinningVersion winner, long userId, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<long>(
            Dialect.InsertReturningId("delivery_projects",
                "challenge_id, proposal_id, proposal_version, vendor_id, enterprise_id, status, price_amount, currency, started_by, started_at",
                "@ChallengeId, @ProposalId, @ProposalVersion, @VendorId, @EnterpriseId, @Active, @PriceAmount, @Currency, @UserId, @Now"),
            new
            {
                ChallengeId = challengeId, winner.ProposalId, winner.ProposalVersion, winner.VendorId, EnterpriseId = enterpriseId,
                Active = ProjectStatus.Active, winner.PriceAmount, Currency = string.IsNullOrWhiteSpace(winner.PriceCurrency) ? "CNY" : winner.PriceCurrency.Trim(),
                UserId = userId, Now = now,
            }, cancellationToken);

    public Task InsertMilestoneAsync(IUnitOfWork work, long projectId, PlannedMilestone milestone, DateTimeOffset now, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ExecuteAsync(
            """
            INSERT INTO delivery_milestones (project_id, position, name, due_on, deliverable, payment_share, payment_amount, status, updated_at)
            VALUES (@ProjectId, @Position, @Name, @DueOn, @Deliverable, @Share, @Amount, @Pending, @Now)
            """,
            new { ProjectId = projectId, milestone.Position, milestone.Name, milestone.DueOn, milestone.Deliverable, milestone.Share, milestone.Amount, Pending = MilestoneStatus.Pending, Now = now },
            cancellationToken);

    public Task<IReadOnlyList<string>> ProjectStatusesAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QueryAsync<string>("SELECT status FROM delivery_projects WHERE challenge_id = @ChallengeId", new { ChallengeId = challengeId }, cancellationToken);

    public async Task<bool> MoveProjectAsync(IUnitOfWork work, long projectId, DeliveryMove move, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync(
            "UPDATE delivery_projects SET status = @To, ended_at = @Now WHERE id = @Id AND status = @From",
            new { Id = projectId, move.From, move.To, Now = now }, cancellationToken) == 1;

    public Task InsertFailureAsync(IUnitOfWork work, long projectId, string category, string cause, string lessons, long userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ExecuteAsync(
            """
            INSERT INTO failure_filings (project_id, category, cause, lessons, filed_by, filed_at)
            VALUES (@ProjectId, @Category, @Cause, @Lessons, @UserId, @Now)
            """,
            new { ProjectId = projectId, Category = category, Cause = cause.Trim(), Lessons = lessons.Trim(), UserId = userId, Now = now }, cancellationToken);

    // ---- milestones ----

    public Task<MilestoneState?> LoadMilestoneAsync(IUnitOfWork work, long milestoneId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<MilestoneState>($"{MilestoneColumns} WHERE id = @Id", new { Id = milestoneId }, cancellationToken);

    public Task<IReadOnlyList<MilestoneState>> MilestonesAsync(IUnitOfWork work, long projectId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QueryAsync<MilestoneState>($"{MilestoneColumns} WHERE project_id = @ProjectId ORDER BY position", new { ProjectId = projectId }, cancellationToken);

    public Task<int> AcceptanceTargetCountAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ScalarAsync<int>("SELECT COUNT(*) FROM challenge_acceptance_targets WHERE challenge_id = @Id", new { Id = challengeId }, cancellationToken);

    public Task<long?> LatestEvidenceIdAsync(IUnitOfWork work, long milestoneId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ScalarAsync<long?>("SELECT MAX(id) FROM milestone_evidence WHERE milestone_id = @Id", new { Id = milestoneId }, cancellationToken);

    public async Task<bool> MoveMilestoneAsync(IUnitOfWork work, long milestoneId, DeliveryMove move, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync(
            "UPDATE delivery_milestones SET status = @To, updated_at = @Now WHERE id = @Id AND status = @From",
            new { Id = milestoneId, move.From, move.To, Now = now }, cancellationToken) == 1;

    public async Task<long> InsertEvidenceAsync(IUnitOfWork work, long milestoneId, string body, IReadOnlyList<string> links, long userId, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<long>(
            Dialect.InsertReturningId("milestone_evidence", "milestone_id, body, links, submitted_by, submitted_at", "@MilestoneId, @Body, @Links, @UserId, @Now"),
            new { MilestoneId = milestoneId, Body = body.Trim(), Links = JsonSerializer.Serialize(links, Json), UserId = userId, Now = now }, cancellationToken);

    public Task InsertDecisionAsync(IUnitOfWork work, long milestoneId, long evidenceId, string outcome, string? note, IReadOnlyList<int> targetsMet, long userId,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ExecuteAsync(
            """
            INSERT INTO milestone_decisions (milestone_id, evidence_id, outcome, note, targets_met, decided_by, decided_at)
            VALUES (@MilestoneId, @EvidenceId, @Outcome, @Note, @TargetsMet, @UserId, @Now)
            """,
            new
            {
                MilestoneId = milestoneId, EvidenceId = evidenceId, Outcome = outcome, Note = note, TargetsMet = JsonSerializer.Serialize(targetsMet.Distinct().Order().ToList(), Json),
                UserId = userId, Now = now,
            }, cancellationToken);

    public Task InsertPaymentAsync(IUnitOfWork work, MilestoneState milestone, string currency, long userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ExecuteAsync(
            """
            INSERT INTO milestone_payments (milestone_id, share, amount, currency, released_by, released_at)
            VALUES (@Id, @Share, @Amount, @Currency, @UserId, @Now)
            """,
            new { milestone.Id, Share = milestone.PaymentShare, Amount = milestone.PaymentAmount, Currency = currency, UserId = userId, Now = now }, cancellationToken);

    // ---- stage adjustments ----

    public async Task<bool> HasOpenAdjustmentAsync(IUnitOfWork work, long projectId, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>(
            "SELECT COUNT(*) FROM stage_adjustments WHERE project_id = @Id AND status = @Open", new { Id = projectId, Open = AdjustmentStatus.Open }, cancellationToken) > 0;

    public Task<AdjustmentState?> LoadAdjustmentAsync(IUnitOfWork work, long adjustmentId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<AdjustmentState>(
            "SELECT id AS Id, project_id AS ProjectId, status AS Status, requested_side AS RequestedSide FROM stage_adjustments WHERE id = @Id",
            new { Id = adjustmentId }, cancellationToken);

    public async Task<IReadOnlyList<AdjustmentItem>> AdjustmentItemsAsync(IUnitOfWork work, long adjustmentId, CancellationToken cancellationToken) =>
        (await DbUnitOfWork.Of(work).QueryAsync<ItemRow>(
            """
            SELECT milestone_id AS MilestoneId, old_due_on AS OldDueOn, new_due_on AS NewDueOn, old_deliverable AS OldDeliverable, new_deliverable AS NewDeliverable
            FROM stage_adjustment_items WHERE adjustment_id = @Id ORDER BY milestone_id
            """, new { Id = adjustmentId }, cancellationToken))
        .Select(r => new AdjustmentItem(r.MilestoneId, r.OldDueOn, r.NewDueOn, r.OldDeliverable, r.NewDeliverable)).ToList();

    public async Task<long> InsertAdjustmentAsync(IUnitOfWork work, long projectId, string reason, string side, IReadOnlyList<AdjustmentItem> items, long userId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        var id = await db.ScalarAsync<long>(
            Dialect.InsertReturningId("stage_adjustments", "project_id, status, reason, requested_by, requested_side, requested_at", "@ProjectId, @Open, @Reason, @UserId, @Side, @Now"),
            new { ProjectId = projectId, Open = AdjustmentStatus.Open, Reason = reason.Trim(), UserId = userId, Side = side, Now = now }, cancellationToken);
        foreach (var item in items)
        {
            await db.ExecuteAsync(
                """
                INSERT INTO stage_adjustment_items (adjustment_id, milestone_id, old_due_on, new_due_on, old_deliverable, new_deliverable)
                VALUES (@Id, @MilestoneId, @OldDueOn, @NewDueOn, @OldDeliverable, @NewDeliverable)
                """,
                new { Id = id, item.MilestoneId, item.OldDueOn, item.NewDueOn, item.OldDeliverable, item.NewDeliverable }, cancellationToken);
        }

        return id;
    }

    public async Task<bool> DecideAdjustmentAsync(IUnitOfWork work, long adjustmentId, DeliveryMove move, long userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync(
            "UPDATE stage_adjustments SET status = @To, decided_by = @UserId, decision_note = @Note, decided_at = @Now WHERE id = @Id AND status = @From",
            new { Id = adjustmentId, move.From, move.To, UserId = userId, Note = move.Reason, Now = now }, cancellationToken) == 1;

    public async Task<bool> ApplyAdjustmentItemAsync(IUnitOfWork work, AdjustmentItem item, DateTimeOffset now, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ExecuteAsync(
            """
            UPDATE delivery_milestones
            SET due_on = CASE WHEN @HasDue = 1 THEN @NewDueOn ELSE due_on END,
                deliverable = CASE WHEN @HasDeliverable = 1 THEN @NewDeliverable ELSE deliverable END,
                updated_at = @Now
            WHERE id = @MilestoneId AND status <> @Accepted
            """,
            new
            {
                item.MilestoneId, HasDue = item.NewDueOn is null ? 0 : 1, NewDueOn = item.NewDueOn ?? item.OldDueOn,
                HasDeliverable = item.NewDeliverable is null ? 0 : 1, NewDeliverable = item.NewDeliverable ?? item.OldDeliverable,
                Accepted = MilestoneStatus.Accepted, Now = now,
            }, cancellationToken) == 1;

    // ---- portfolio consent ----

    public async Task<bool> HasConsentAsync(IUnitOfWork work, long projectId, CancellationToken cancellationToken) =>
        await DbUnitOfWork.Of(work).ScalarAsync<int>("SELECT COUNT(*) FROM portfolio_consents WHERE project_id = @Id", new { Id = projectId }, cancellationToken) > 0;

    public Task InsertConsentAsync(IUnitOfWork work, long projectId, string decision, bool clientNamed, long? caseId, long userId, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ExecuteAsync(
            """
            INSERT INTO portfolio_consents (project_id, decision, client_named, portfolio_case_id, decided_by, decided_at)
            VALUES (@ProjectId, @Decision, @ClientNamed, @CaseId, @UserId, @Now)
            """,
            new { ProjectId = projectId, Decision = decision, ClientNamed = clientNamed, CaseId = caseId, UserId = userId, Now = now }, cancellationToken);

    public async Task<CaseSource> CaseSourceAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        (await DbUnitOfWork.Of(work).QuerySingleOrDefaultAsync<CaseSource>(
            """
            SELECT c.title AS Title, c.scenario AS Scenario, c.expected_outcome AS ExpectedOutcome, c.industry AS Industry, o.name AS EnterpriseName
            FROM challenges c JOIN organisations o ON o.id = c.enterprise_id WHERE c.id = @Id
            """, new { Id = challengeId }, cancellationToken))!;

    public Task<IReadOnlyList<string>> ChallengeTagsAsync(IUnitOfWork work, long challengeId, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).QueryAsync<string>("SELECT tag FROM challenge_tags WHERE challenge_id = @Id ORDER BY tag", new { Id = challengeId }, cancellationToken);

    /// <summary>The case goes through the vendor store (the one writer of portfolio cases); its tags are written here.</summary>
    public async Task<long> AddCaseAsync(IUnitOfWork work, NewPortfolioCase portfolioCase, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var db = DbUnitOfWork.Of(work);
        var caseId = await vendors.AddCaseAsync(db.Connection, db.Transaction, portfolioCase, cancellationToken);
        foreach (var tag in tags.Distinct(StringComparer.Ordinal))
        {
            await db.ExecuteAsync("INSERT INTO portfolio_case_tags (case_id, tag) VALUES (@CaseId, @Tag)", new { CaseId = caseId, Tag = tag }, cancellationToken);
        }

        return caseId;
    }

    public Task TouchVendorAsync(IUnitOfWork work, long vendorId, DateTimeOffset now, CancellationToken cancellationToken) =>
        DbUnitOfWork.Of(work).ExecuteAsync("UPDATE vendor_profiles SET updated_at = @Now WHERE organisation_id = @Id", new { Id = vendorId, Now = now }, cancellationToken);

// ---- reads for pages and the API ----

    private const string SummarySql = """
        SELECT p.id AS Id, p.challenge_id AS ChallengeId, c.title AS ChallengeTitle, c.status AS ChallengeStatus, p.proposal_id AS ProposalId,
               p.vendor_id AS VendorId, v.name AS VendorName, v.name_en AS VendorNameEn, p.enterprise_id AS EnterpriseId, e.name AS EnterpriseName,
               e.name_en AS EnterpriseNameEn,
               p.status AS Status, p.started_at AS StartedAt, p.ended_at AS EndedAt
        FROM delivery_projects p
        JOIN challenges c ON c.id = p.challenge_id
        JOIN organisations v ON v.id = p.vendor_id
        JOIN organisations e ON e.id = p.enterprise_id
        """;

    /// <summary>
    /// Projects the scope covers (see <see cref="ProjectPolicy.ScopeOf"/>): officers see every project; otherwise those
    /// whose vendor (for vendor members) or enterprise (for enterprise members) is one of the viewer's organisations.
    /// Optionally one challenge's.
    /// </summary>
    public async Task<IReadOnlyList<ProjectSummary>> ListAsync(ProjectScope scope, DateOnly today, long? challengeId, CancellationToken cancellationToken)
    {
        var filters = new List<string> { ScopeFilter(scope) };
        if (challengeId is not null)
        {
            filters.Add("p.challenge_id = @ChallengeId");
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ProjectSummary>(new CommandDefinition(
            $"{SummarySql} WHERE {string.Join(" AND ", filters)} ORDER BY p.started_at DESC, p.id DESC",
            ScopeParameters(scope, new { ChallengeId = challengeId }), cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
        {
            return rows;
        }

        var milestones = (await connection.QueryAsync<MilestoneState>(new CommandDefinition(
            $"{MilestoneColumns} WHERE {Dialect.InList("project_id", "@Ids")} ORDER BY project_id, due_on, position",
            new { Ids = rows.Select(r => r.Id).ToList() }, cancellationToken: cancellationToken))).ToLookup(m => m.ProjectId);
        return rows.Select(r => WithProgress(r, milestones[r.Id].ToList(), today)).ToList();
    }

    /// <summary>The policy's scope as a WHERE fragment over <c>p</c> (delivery_projects), built from fixed text only.</summary>
    private string ScopeFilter(ProjectScope scope)
    {
        if (scope.Everything)
        {
            return "1 = 1";
        }

        var sides = new List<string>();
        if (scope.VendorOrganisations.Count > 0)
        {
            sides.Add(Dialect.InList("p.vendor_id", "@VendorOrgs"));
        }

        if (scope.EnterpriseOrganisations.Count > 0)
        {
            sides.Add(Dialect.InList("p.enterprise_id", "@EnterpriseOrgs"));
        }

        return sides.Count == 0 ? "1 = 0" : "(" + string.Join(" OR ", sides) + ")";
    }

    private static DynamicParameters ScopeParameters(ProjectScope scope, object others)
    {
        var parameters = new DynamicParameters(others);
        if (!scope.Everything && scope.VendorOrganisations.Count > 0)
        {
            parameters.Add("VendorOrgs", scope.VendorOrganisations.ToList());
        }

        if (!scope.Everything && scope.EnterpriseOrganisations.Count > 0)
        {
            parameters.Add("EnterpriseOrgs", scope.EnterpriseOrganisations.ToList());
        }

        return parameters;
    }

    private static ProjectSummary WithProgress(ProjectSummary row, IReadOnlyList<MilestoneState> milestones, DateOnly today)
    {
        var open = milestones.Where(m => m.Status != MilestoneStatus.Accepted).OrderBy(m => m.DueOn).ThenBy(m => m.Position).FirstOrDefault();
        var active = row.Status == ProjectStatus.Active;
        return row with
        {
            MilestoneCount = milestones.Count,
            AcceptedCount = milestones.Count(m => m.Status == MilestoneStatus.Accepted),
            OverdueCount = active ? milestones.Count(m => MilestoneWorkflow.IsOverdue(m.Status, m.DueOn, today)) : 0,
            NextDueName = active ? open?.Name : null,
            NextDueOn = active ? open?.DueOn : null,
        };
    }

    /// <summary>One project, when the scope covers it (see <see cref="ProjectPolicy.ScopeOf"/>); null for anyone else.</summary>
    public async Task<ProjectView?> FindAsync(ProjectScope scope, long projectId, DateOnly today, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var summary = await connection.QuerySingleOrDefaultAsync<ProjectSummary>(new CommandDefinition(
            $"{SummarySql} WHERE p.id = @Id AND {ScopeFilter(scope)}", ScopeParameters(scope, new { Id = projectId }), cancellationToken: cancellationToken));
        if (summary is null)
        {
            return null;
        }

        var money = await connection.QuerySingleAsync<MoneyRow>(new CommandDefinition(
            "SELECT price_amount AS Price, currency AS Currency FROM delivery_projects WHERE id = @Id", new { Id = projectId }, cancellationToken: cancellationToken));
        IReadOnlyList<MilestoneState> milestones = (await connection.QueryAsync<MilestoneState>(new CommandDefinition(
            $"{MilestoneColumns} WHERE project_id = @Id ORDER BY position", new { Id = projectId }, cancellationToken: cancellationToken))).ToList();
        var evidence = (await connection.QueryAsync<EvidenceRow>(new CommandDefinition(
            """
            SELECT e.id AS Id, e.milestone_id AS MilestoneId, e.body AS Body, e.links AS Links, u.display_name AS SubmittedByName, e.submitted_at AS SubmittedAt
            FROM milestone_evidence e JOIN delivery_milestones m ON m.id = e.milestone_id JOIN users u ON u.id = e.submitted_by
            WHERE m.project_id = @Id ORDER BY e.id
            """, new { Id = projectId }, cancellationToken: cancellationToken))).ToLookup(e => e.MilestoneId);
        var decisions = (await connection.QueryAsync<DecisionRow>(new CommandDefinition(
            """
            SELECT d.id AS Id, d.milestone_id AS MilestoneId, d.evidence_id AS EvidenceId, d.outcome AS Outcome, d.note AS Note, d.targets_met AS TargetsMet,
                   u.display_name AS DecidedByName, d.decided_at AS DecidedAt
            FROM milestone_decisions d JOIN delivery_milestones m ON m.id = d.milestone_id JOIN users u ON u.id = d.decided_by
            WHERE m.project_id = @Id ORDER BY d.id
            """, new { Id = projectId }, cancellationToken: cancellationToken))).ToLookup(d => d.MilestoneId);
        var payments = (await connection.QueryAsync<PaymentRow>(new CommandDefinition(
            """
            SELECT pm.milestone_id AS MilestoneId, pm.share AS Share, pm.amount AS Amount, pm.currency AS Currency, u.display_name AS ReleasedByName, pm.released_at AS ReleasedAt
            FROM milestone_payments pm JOIN delivery_milestones m ON m.id = pm.milestone_id JOIN users u ON u.id = pm.released_by
            WHERE m.project_id = @Id
            """, new { Id = projectId }, cancellationToken: cancellationToken))).ToDictionary(p => p.MilestoneId);
        var adjustments = (await connection.QueryAsync<AdjustmentView>(new CommandDefinition(
            """
            SELECT a.id AS Id, a.status AS Status, a.reason AS Reason, a.requested_side AS RequestedSide, r.display_name AS RequestedByName, a.requested_at AS RequestedAt,
                   d.display_name AS DecidedByName, a.decision_note AS DecisionNote, a.decided_at AS DecidedAt
            FROM stage_adjustments a JOIN users r ON r.id = a.requested_by LEFT JOIN users d ON d.id = a.decided_by
            WHERE a.project_id = @Id ORDER BY a.id DESC
            """, new { Id = projectId }, cancellationToken: cancellationToken))).ToList();
        var items = (await connection.QueryAsync<AdjustmentItemRow>(new CommandDefinition(
            """
            SELECT i.adjustment_id AS AdjustmentId, i.milestone_id AS MilestoneId, m.position AS Position, m.name AS MilestoneName,
                   i.old_due_on AS OldDueOn, i.new_due_on AS NewDueOn, i.old_deliverable AS OldDeliverable, i.new_deliverable AS NewDeliverable
            FROM stage_adjustment_items i JOIN delivery_milestones m ON m.id = i.milestone_id
            WHERE m.project_id = @Id ORDER BY m.position
            """, new { Id = projectId }, cancellationToken: cancellationToken))).ToLookup(i => i.AdjustmentId);
        var failure = await connection.QuerySingleOrDefaultAsync<FailureFilingView>(new CommandDefinition(
            """
            SELECT f.category AS Category, f.cause AS Cause, f.lessons AS Lessons, u.display_name AS FiledByName, f.filed_at AS FiledAt
            FROM failure_filings f JOIN users u ON u.id = f.filed_by WHERE f.project_id = @Id
            """, new { Id = projectId }, cancellationToken: cancellationToken));
        var consent = await connection.QuerySingleOrDefaultAsync<PortfolioConsentView>(new CommandDefinition(
            """
            SELECT pc.decision AS Decision, pc.client_named AS ClientNamed, pc.portfolio_case_id AS PortfolioCaseId, u.display_name AS DecidedByName, pc.decided_at AS DecidedAt
            FROM portfolio_consents pc JOIN users u ON u.id = pc.decided_by WHERE pc.project_id = @Id
            """, new { Id = projectId }, cancellationToken: cancellationToken));
        var targets = (await connection.QueryAsync<TargetView>(new CommandDefinition(
            """
            SELECT position AS Position, metric AS Metric, threshold AS Threshold, test_method AS TestMethod
            FROM challenge_acceptance_targets WHERE challenge_id = @Id ORDER BY position
            """, new { Id = summary.ChallengeId }, cancellationToken: cancellationToken))).ToList();

        var active = summary.Status == ProjectStatus.Active;
        var milestoneViews = milestones.Select(m => new MilestoneView
        {
            Id = m.Id,
            Position = m.Position,
            Name = m.Name,
            DueOn = m.DueOn,
            Deliverable = m.Deliverable,
            PaymentShare = m.PaymentShare,
            PaymentAmount = m.PaymentAmount,
            Status = m.Status,
            IsOverdue = active && MilestoneWorkflow.IsOverdue(m.Status, m.DueOn, today),
            Evidence = evidence[m.Id].Select(e => new EvidenceView
            {
                Id = e.Id, Body = e.Body, Links = JsonSerializer.Deserialize<List<string>>(e.Links, Json) ?? [], SubmittedByName = e.SubmittedByName, SubmittedAt = e.SubmittedAt,
            }).ToList(),
            Decisions = decisions[m.Id].Select(d => new DecisionView
            {
                Id = d.Id, EvidenceId = d.EvidenceId, Outcome = d.Outcome, Note = d.Note, TargetsMet = JsonSerializer.Deserialize<List<int>>(d.TargetsMet, Json) ?? [],
                DecidedByName = d.DecidedByName, DecidedAt = d.DecidedAt,
            }).ToList(),
            Payment = payments.TryGetValue(m.Id, out var p)
                ? new PaymentRelease { Share = p.Share, Amount = p.Amount, Currency = p.Currency, ReleasedByName = p.ReleasedByName, ReleasedAt = p.ReleasedAt }
                : null,
        }).ToList();

        return new ProjectView
        {
            Summary = WithProgress(summary, milestones, today),
            PriceAmount = money.Price,
            Currency = money.Currency,
            AcceptanceTargets = targets,
            Milestones = milestoneViews,
            Adjustments = adjustments.Select(a => a with
            {
                Items = items[a.Id].Select(i => new AdjustmentItemView
                {
                    MilestoneId = i.MilestoneId, Position = i.Position, MilestoneName = i.MilestoneName, OldDueOn = i.OldDueOn, NewDueOn = i.NewDueOn,
                    OldDeliverable = i.OldDeliverable, NewDeliverable = i.NewDeliverable,
                }).ToList(),
            }).ToList(),
            Failure = failure,
            Consent = consent,
            Payments = PaymentShares.Summarise(milestoneViews.Select(m => (m.PaymentShare, m.PaymentAmount, m.Payment is not null))),
        };
    }

    /// <summary>The project a milestone belongs to (where a page returns to after a form on the milestone).</summary>
    public async Task<long?> ProjectOfMilestoneAsync(long milestoneId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT project_id FROM delivery_milestones WHERE id = @Id", new { Id = milestoneId }, cancellationToken: cancellationToken));
    }

    /// <summary>The project a stage adjustment belongs to (the decision form names it to return to).</summary>
    public async Task<long?> ProjectOfAdjustmentAsync(long adjustmentId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT project_id FROM stage_adjustments WHERE id = @Id", new { Id = adjustmentId }, cancellationToken: cancellationToken));
    }

    private sealed record MoneyRow
    {
        public decimal? Price { get; init; }
        public string Currency { get; init; } = "CNY";
    }

    private sealed record ItemRow
    {
        public long MilestoneId { get; init; }
        public DateOnly OldDueOn { get; init; }
        public DateOnly? NewDueOn { get; init; }
        public string OldDeliverable { get; init; } = "";
        public string? NewDeliverable { get; init; }
    }

    private sealed record AdjustmentItemRow
    {
        public long AdjustmentId { get; init; }
        public long MilestoneId { get; init; }
        public int Position { get; init; }
        public string MilestoneName { get; init; } = "";
        public DateOnly OldDueOn { get; init; }
        public DateOnly? NewDueOn { get; init; }
        public string OldDeliverable { get; init; } = "";
        public string? NewDeliverable { get; init; }
    }

    private sealed record EvidenceRow
    {
        public long Id { get; init; }
        public long MilestoneId { get; init; }
        public string Body { get; init; } = "";
        public string Links { get; init; } = "[]";
        public string SubmittedByName { get; init; } = "";
        public DateTimeOffset SubmittedAt { get; init; }
    }

    private sealed record DecisionRow
    {
        public long Id { get; init; }
        public long MilestoneId { get; init; }
        public long EvidenceId { get; init; }
        public string Outcome { get; init; } = "";
        public string? Note { get; init; }
        public string TargetsMet { get; init; } = "[]";
        public string DecidedByName { get; init; } = "";
        public DateTimeOffset DecidedAt { get; init; }
    }

    private sealed record PaymentRow
    {
        public long MilestoneId { get; init; }
        public decimal Share { get; init; }
        public decimal? Amount { get; init; }
        public string Currency { get; init; } = "";
        public string ReleasedByName { get; init; } = "";
        public DateTimeOffset ReleasedAt { get; init; }
    }
}
