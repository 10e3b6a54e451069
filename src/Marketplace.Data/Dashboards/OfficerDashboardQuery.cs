using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Delivery;
using Marketplace.Core.Proposals;

namespace Marketplace.Data.Dashboards;

/// <summary>When a challenge counts as stuck: how long it may stay in one of the states that wait on a person.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboards";

    /// <summary>Days a challenge may wait in submitted, closed, under review or awarded before the officer's dashboard lists it as stuck.</summary>
    public int StuckAfterDays { get; set; } = 14;

    /// <summary>The states that wait on a person (the officer, the reviewers or the enterprise); published waits on its deadline, delivery on milestones.</summary>
    public static IReadOnlyList<string> WaitingStates { get; } =
        [ChallengeStatus.Submitted, ChallengeStatus.Closed, ChallengeStatus.UnderReview, ChallengeStatus.Awarded];
}

/// <summary>The pipeline, each stage counting the challenges that ever reached it.</summary>
public sealed record PipelineFunnel
{
    public int Submitted { get; init; }
    public int Published { get; init; }
    public int WithBids { get; init; }
    public int Reviewed { get; init; }
    public int Awarded { get; init; }
    public int Delivered { get; init; }
    public int Failed { get; init; }
}

public sealed record ScreeningItem
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public DateTimeOffset WaitingSince { get; init; }
}

public sealed record StuckChallenge
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset Since { get; init; }
}

/// <summary>
/// Published challenges of one industry or region: how many, their budgets (CNY only, no conversion guessed) and awards.
/// Sums are read as double precision: SQLite's SUM over NUMERIC gives integers or reals row by row, which one reader cannot map.
/// </summary>
public sealed record AwardBreakdown
{
    public string GroupKey { get; init; } = "";
    public int Published { get; init; }
    public double BudgetCny { get; init; }
    public int Awarded { get; init; }
    public double AwardedBudgetCny { get; init; }
}

public sealed record PublishToAward
{
    public long ChallengeId { get; init; }
    public DateTimeOffset PublishedAt { get; init; }
    public DateTimeOffset DecidedAt { get; init; }
}

public sealed record FailureCount
{
    public string Category { get; init; } = "";
    public int Count { get; init; }
}

public sealed record FailureFilingRow
{
    public long ProjectId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string Category { get; init; } = "";
    public string Cause { get; init; } = "";
    public string Lessons { get; init; } = "";
    public DateTimeOffset FiledAt { get; init; }
}

public sealed record OfficerDashboard(
    IReadOnlyList<ScreeningItem> Screening,
    PipelineFunnel Funnel,
    IReadOnlyList<StuckChallenge> Stuck,
    IReadOnlyList<DashboardMilestoneRow> OverdueMilestones,
    IReadOnlyList<AwardBreakdown> ByIndustry,
    IReadOnlyList<AwardBreakdown> ByRegion,
    IReadOnlyList<PublishToAward> PublishToAward,
    IReadOnlyList<FailureCount> FailureCauses,
    IReadOnlyList<FailureFilingRow> RecentFailures)
{
    /// <summary>Median days from publication to the award decision, over the awarded challenges; null when none.</summary>
    public double? MedianDaysToAward
    {
        get
        {
            var days = PublishToAward.Select(p => (p.DecidedAt - p.PublishedAt).TotalDays).Order().ToList();
            return days.Count == 0 ? null : days.Count % 2 == 1 ? days[days.Count / 2] : (days[(days.Count / 2) - 1] + days[days.Count / 2]) / 2;
        }
    }
}

/// <summary>
/// The programme officer's dashboard, read in one command with nine result sets: the screening queue, the pipeline
/// funnel, challenges stuck in a waiting state longer than <see cref="DashboardOptions.StuckAfterDays"/>, overdue
/// milestones, awards and budget by industry and by region (the enterprise's city), publish-to-award times and failure
/// causes from the failure filings (失败备案).
/// </summary>
public sealed class OfficerDashboardQuery(DbConnectionFactory connections)
{
    public const int RecentFailureCount = 5;

    public async Task<OfficerDashboard> LoadAsync(DateTimeOffset now, int stuckAfterDays, CancellationToken cancellationToken)
    {
        var dialect = connections.Dialect;
        // When the challenge entered its current state: the newest audit entry that moved it there (seeded or imported
        // rows without one fall back to the last change of the row).
        const string Since = "COALESCE((SELECT MAX(a.occurred_at) FROM challenge_audit a WHERE a.challenge_id = c.id AND a.to_status = c.status), c.updated_at)";
        var breakdown = """
            SELECT {0} AS GroupKey, COUNT(*) AS Published,
                   CAST(COALESCE(SUM(CASE WHEN c.budget_currency = 'CNY' THEN c.budget_amount ELSE 0 END), 0) AS DOUBLE PRECISION) AS BudgetCny,
                   SUM(CASE WHEN d.outcome = 'awarded' THEN 1 ELSE 0 END) AS Awarded,
                   CAST(COALESCE(SUM(CASE WHEN d.outcome = 'awarded' AND c.budget_currency = 'CNY' THEN c.budget_amount ELSE 0 END), 0) AS DOUBLE PRECISION) AS AwardedBudgetCny
            FROM challenges c JOIN organisations o ON o.id = c.enterprise_id
            LEFT JOIN award_decisions d ON d.challenge_id = c.id
            WHERE c.published_at IS NOT NULL
            GROUP BY {0}
            ORDER BY COUNT(*) DESC, {0};
            """;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT c.id AS Id, c.title AS Title, {Since} AS WaitingSince
            FROM challenges c WHERE c.status = @Submitted
            ORDER BY {Since}, c.id;
            SELECT
              (SELECT COUNT(*) FROM challenges c WHERE c.status NOT IN (@Draft, @Withdrawn) OR c.published_at IS NOT NULL) AS Submitted,
              (SELECT COUNT(*) FROM challenges c WHERE c.published_at IS NOT NULL) AS Published,
              (SELECT COUNT(DISTINCT p.challenge_id) FROM proposals p WHERE p.status = @ProposalSubmitted) AS WithBids,
              (SELECT COUNT(*) FROM price_envelope_openings) AS Reviewed,
              (SELECT COUNT(*) FROM award_decisions d WHERE d.outcome = 'awarded') AS Awarded,
              (SELECT COUNT(*) FROM challenges c WHERE c.status = @Completed) AS Delivered,
              (SELECT COUNT(*) FROM challenges c WHERE c.status = @Failed) AS Failed;
            SELECT c.id AS Id, c.title AS Title, c.status AS Status, {Since} AS Since
            FROM challenges c WHERE {dialect.InList("c.status", "@Waiting")} AND {Since} < @StuckBefore
            ORDER BY {Since}, c.id;
            SELECT m.id AS Id, p.id AS ProjectId, c.id AS ChallengeId, c.title AS ChallengeTitle, m.name AS Name, m.due_on AS DueOn, m.status AS Status, o.name AS PartyName, o.name_en AS PartyNameEn
            FROM delivery_milestones m JOIN delivery_projects p ON p.id = m.project_id JOIN challenges c ON c.id = p.challenge_id
            JOIN organisations o ON o.id = p.vendor_id
            WHERE p.status = @Active AND m.status IN (@Pending, @Rejected) AND m.due_on < @Today
            ORDER BY m.due_on, m.id;
            {string.Format(System.Globalization.CultureInfo.InvariantCulture, breakdown, "c.industry")}
            {string.Format(System.Globalization.CultureInfo.InvariantCulture, breakdown, "COALESCE(o.city, '')")}
            SELECT c.id AS ChallengeId, c.published_at AS PublishedAt, d.decided_at AS DecidedAt
            FROM challenges c JOIN award_decisions d ON d.challenge_id = c.id
            WHERE d.outcome = 'awarded' AND c.published_at IS NOT NULL
            ORDER BY d.decided_at;
            SELECT f.category AS Category, COUNT(*) AS Count FROM failure_filings f GROUP BY f.category ORDER BY COUNT(*) DESC, f.category;
            SELECT f.project_id AS ProjectId, c.title AS ChallengeTitle, f.category AS Category, f.cause AS Cause, f.lessons AS Lessons, f.filed_at AS FiledAt
            FROM failure_filings f JOIN delivery_projects p ON p.id = f.project_id JOIN challenges c ON c.id = p.challenge_id
            ORDER BY f.filed_at DESC, f.project_id DESC
            {dialect.Page};
            """,
            new
            {
                Submitted = ChallengeStatus.Submitted, Draft = ChallengeStatus.Draft, Withdrawn = ChallengeStatus.Withdrawn,
                ProposalSubmitted = ProposalStatus.Submitted, Completed = ChallengeStatus.Completed, Failed = ChallengeStatus.Failed,
                Waiting = DashboardOptions.WaitingStates.ToArray(), StuckBefore = now.AddDays(-stuckAfterDays),
                Active = ProjectStatus.Active, Pending = MilestoneStatus.Pending, Rejected = MilestoneStatus.Rejected,
                Today = DateOnly.FromDateTime(now.UtcDateTime), Skip = 0, Take = RecentFailureCount,
            }, cancellationToken: cancellationToken));
        var screening = (await results.ReadAsync<ScreeningItem>()).ToList();
        var funnel = await results.ReadSingleAsync<PipelineFunnel>();
        var stuck = (await results.ReadAsync<StuckChallenge>()).ToList();
        var overdue = (await results.ReadAsync<DashboardMilestoneRow>()).ToList();
        var byIndustry = (await results.ReadAsync<AwardBreakdown>()).ToList();
        var byRegion = (await results.ReadAsync<AwardBreakdown>()).ToList();
        var toAward = (await results.ReadAsync<PublishToAward>()).ToList();
        var causes = (await results.ReadAsync<FailureCount>()).ToList();
        var recent = (await results.ReadAsync<FailureFilingRow>()).ToList();
        return new OfficerDashboard(screening, funnel, stuck, overdue, byIndustry, byRegion, toAward, causes, recent);
    }
}
