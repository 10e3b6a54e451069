using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Delivery;
using Marketplace.Core.Proposals;

namespace Marketplace.Data.Dashboards;

/// <summary>One of the enterprise's challenges, with its bids counted once they are unsealed.</summary>
public sealed record EnterpriseChallengeRow
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset DeadlineAt { get; init; }

    /// <summary>Submitted proposals; null while they are sealed (before the deadline nobody but their authors learns of them).</summary>
    public long? Proposals { get; init; }
}

/// <summary>A vendor the matcher suggests for one of the enterprise's open challenges.</summary>
public sealed record SuggestedVendorRow
{
    public long ChallengeId { get; init; }
    public long VendorId { get; init; }
    public string VendorName { get; init; } = "";
    /// <summary>The vendor's English name, when it gave one (English pages show it).</summary>
    public string? VendorNameEn { get; init; }
    public int Rank { get; init; }
    public double Score { get; init; }
}

/// <summary>A clarification question nobody has answered yet.</summary>
public sealed record WaitingQuestionRow
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string Question { get; init; } = "";
    public DateTimeOffset AskedAt { get; init; }
}

/// <summary>A delivery milestone, with its project and the other party's name.</summary>
public sealed record DashboardMilestoneRow
{
    public long Id { get; init; }
    public long ProjectId { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string Name { get; init; } = "";
    public DateOnly DueOn { get; init; }
    public string Status { get; init; } = "";

    /// <summary>The other side of the project: the vendor on the enterprise's dashboard and the enterprise on the vendor's.</summary>
    public string PartyName { get; init; } = "";

    /// <summary>The other party's English name, when it gave one (English pages show it).</summary>
    public string? PartyNameEn { get; init; }
}

public sealed record EnterpriseDashboard(
    IReadOnlyList<EnterpriseChallengeRow> Challenges,
    IReadOnlyList<SuggestedVendorRow> Suggestions,
    IReadOnlyList<WaitingQuestionRow> Questions,
    IReadOnlyList<DashboardMilestoneRow> MilestonesToAccept,
    IReadOnlyList<DashboardMilestoneRow> MilestonesDue);

/// <summary>
/// The enterprise's dashboard: its challenges by state, the matcher's suggestions for the open ones, unanswered questions,
/// milestones waiting for its acceptance and milestones coming due. One command with five result sets.
/// </summary>
public sealed class EnterpriseDashboardQuery(DbConnectionFactory connections)
{
    /// <summary>How many suggestions per open challenge are read (the page shows those above the cut-off).</summary>
    public const int SuggestionsPerChallenge = 5;

    public async Task<EnterpriseDashboard> LoadAsync(IReadOnlyList<long> enterpriseIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (enterpriseIds.Count == 0)
        {
            return new EnterpriseDashboard([], [], [], [], []);
        }

        var dialect = connections.Dialect;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT c.id AS Id, c.title AS Title, c.status AS Status, c.deadline_at AS DeadlineAt,
                   CASE WHEN c.deadline_at <= @Now AND c.published_at IS NOT NULL
                        THEN (SELECT COUNT(*) FROM proposals p WHERE p.challenge_id = c.id AND p.status = @Submitted) END AS Proposals
            FROM challenges c WHERE {dialect.InList("c.enterprise_id", "@Ids")}
            ORDER BY c.updated_at DESC, c.id DESC;
            SELECT r.challenge_id AS ChallengeId, r.vendor_id AS VendorId, o.name AS VendorName, o.name_en AS VendorNameEn, r.rank AS Rank, r.score AS Score
            FROM match_results r JOIN challenges c ON c.id = r.challenge_id JOIN organisations o ON o.id = r.vendor_id
            WHERE {dialect.InList("c.enterprise_id", "@Ids")} AND c.status = @Published AND r.rank <= @PerChallenge
            ORDER BY r.challenge_id, r.rank;
            SELECT q.id AS Id, q.challenge_id AS ChallengeId, c.title AS ChallengeTitle, q.question AS Question, q.asked_at AS AskedAt
            FROM challenge_questions q JOIN challenges c ON c.id = q.challenge_id
            WHERE {dialect.InList("c.enterprise_id", "@Ids")} AND q.answer IS NULL
            ORDER BY q.asked_at, q.id;
            {MilestoneColumns} WHERE {dialect.InList("p.enterprise_id", "@Ids")} AND m.status = @EvidenceSubmitted
            ORDER BY m.due_on, m.id;
            {MilestoneColumns} WHERE {dialect.InList("p.enterprise_id", "@Ids")} AND p.status = @Active AND m.status IN (@Pending, @Rejected)
            ORDER BY m.due_on, m.id;
            """,
            new
            {
                Ids = enterpriseIds.ToArray(), Now = now, Submitted = ProposalStatus.Submitted, Published = ChallengeStatus.Published,
                PerChallenge = SuggestionsPerChallenge, EvidenceSubmitted = MilestoneStatus.EvidenceSubmitted, Active = ProjectStatus.Active,
                Pending = MilestoneStatus.Pending, Rejected = MilestoneStatus.Rejected,
            }, cancellationToken: cancellationToken));
        var challenges = (await results.ReadAsync<EnterpriseChallengeRow>()).ToList();
        var suggestions = (await results.ReadAsync<SuggestedVendorRow>()).ToList();
        var questions = (await results.ReadAsync<WaitingQuestionRow>()).ToList();
        var toAccept = (await results.ReadAsync<DashboardMilestoneRow>()).ToList();
        var due = (await results.ReadAsync<DashboardMilestoneRow>()).ToList();
        return new EnterpriseDashboard(challenges, suggestions, questions, toAccept, due);
    }

    /// <summary>Milestones with their project, challenge and the vendor's name (the enterprise's counterpart).</summary>
    internal const string MilestoneColumns = """
        SELECT m.id AS Id, p.id AS ProjectId, c.id AS ChallengeId, c.title AS ChallengeTitle, m.name AS Name, m.due_on AS DueOn, m.status AS Status, o.name AS PartyName, o.name_en AS PartyNameEn
        FROM delivery_milestones m JOIN delivery_projects p ON p.id = m.project_id JOIN challenges c ON c.id = p.challenge_id
        JOIN organisations o ON o.id = p.vendor_id
        """;
}
