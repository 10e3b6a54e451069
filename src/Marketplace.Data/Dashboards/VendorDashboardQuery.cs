using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Delivery;
using Marketplace.Core.Organisations;
using Marketplace.Core.Proposals;
using Marketplace.Data.Matching;

namespace Marketplace.Data.Dashboards;

/// <summary>
/// What the matcher reads of a vendor, counted, for the profile-completeness panel: the user's first vendor organisation
/// by membership, the same one the recommendations are for.
/// </summary>
public sealed record VendorProfileFacts
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public string? City { get; init; }
    public string? Website { get; init; }
    public string? Summary { get; init; }
    public int? MaxTrlDelivered { get; init; }
    public int Capabilities { get; init; }
    public int Industries { get; init; }
    public int Cases { get; init; }
    public int TaggedCases { get; init; }
}

/// <summary>One of the vendor's proposals, with its challenge and, once decided, the outcome and the written feedback.</summary>
public sealed record VendorProposalRow
{
    public long Id { get; init; }
    public long ChallengeId { get; init; }
    public string ChallengeTitle { get; init; } = "";
    public string ChallengeStatus { get; init; } = "";
    public DateTimeOffset DeadlineAt { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>awarded / not_awarded once the programme office decided; null before.</summary>
    public string? Outcome { get; init; }
    public bool Won { get; init; }
    public string? Feedback { get; init; }
}

public sealed record VendorDashboard(
    VendorProfileFacts? Profile,
    VendorRecommendations Recommendations,
    IReadOnlyList<VendorProposalRow> Proposals,
    IReadOnlyList<DashboardMilestoneRow> MilestonesDue);

/// <summary>
/// The vendor's dashboard: recommended challenges (through <see cref="RecommendationQuery"/>, the matcher's ranking and
/// reasons), its proposals with their outcomes and feedback, milestones it owes, and what its profile gives the matcher.
/// Three commands: the recommendation query's two and one with three result sets.
/// </summary>
public sealed class VendorDashboardQuery(DbConnectionFactory connections, RecommendationQuery recommendations)
{
    public async Task<VendorDashboard> LoadAsync(long userId, IReadOnlyList<long> organisationIds, CancellationToken cancellationToken)
    {
        var recommended = await recommendations.ForUserAsync(userId, cancellationToken);
        if (organisationIds.Count == 0)
        {
            return new VendorDashboard(null, recommended, [], []);
        }

        var dialect = connections.Dialect;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT o.id AS Id, o.slug AS Slug, o.name AS Name, o.description AS Description, o.city AS City, o.website AS Website,
                   vp.summary AS Summary, vp.max_trl_delivered AS MaxTrlDelivered,
                   (SELECT COUNT(*) FROM vendor_capabilities vc WHERE vc.organisation_id = o.id) AS Capabilities,
                   (SELECT COUNT(*) FROM vendor_industries vi WHERE vi.organisation_id = o.id) AS Industries,
                   (SELECT COUNT(*) FROM portfolio_cases pc WHERE pc.organisation_id = o.id) AS Cases,
                   (SELECT COUNT(DISTINCT pt.case_id) FROM portfolio_case_tags pt JOIN portfolio_cases pc ON pc.id = pt.case_id WHERE pc.organisation_id = o.id) AS TaggedCases
            FROM organisations o JOIN memberships ms ON ms.organisation_id = o.id AND ms.user_id = @UserId
            LEFT JOIN vendor_profiles vp ON vp.organisation_id = o.id
            WHERE o.kind = @Vendor
            ORDER BY ms.created_at, o.id;
            SELECT p.id AS Id, p.challenge_id AS ChallengeId, c.title AS ChallengeTitle, c.status AS ChallengeStatus, c.deadline_at AS DeadlineAt,
                   p.status AS Status, p.updated_at AS UpdatedAt, d.outcome AS Outcome,
                   CASE WHEN w.proposal_id IS NULL THEN 0 ELSE 1 END AS Won, f.feedback AS Feedback
            FROM proposals p JOIN challenges c ON c.id = p.challenge_id
            LEFT JOIN award_decisions d ON d.challenge_id = p.challenge_id
            LEFT JOIN award_winners w ON w.challenge_id = p.challenge_id AND w.proposal_id = p.id
            LEFT JOIN award_feedback f ON f.challenge_id = p.challenge_id AND f.proposal_id = p.id
            WHERE {dialect.InList("p.vendor_id", "@Ids")}
            ORDER BY p.updated_at DESC, p.id DESC;
            SELECT m.id AS Id, p.id AS ProjectId, c.id AS ChallengeId, c.title AS ChallengeTitle, m.name AS Name, m.due_on AS DueOn, m.status AS Status, o.name AS PartyName, o.name_en AS PartyNameEn
            FROM delivery_milestones m JOIN delivery_projects p ON p.id = m.project_id JOIN challenges c ON c.id = p.challenge_id
            JOIN organisations o ON o.id = p.enterprise_id
            WHERE {dialect.InList("p.vendor_id", "@Ids")} AND p.status = @Active AND m.status IN (@Pending, @Rejected)
            ORDER BY m.due_on, m.id;
            """,
            new
            {
                Ids = organisationIds.ToArray(), UserId = userId, Vendor = OrganisationKind.Vendor.ToStorage(), Active = ProjectStatus.Active,
                Pending = MilestoneStatus.Pending, Rejected = MilestoneStatus.Rejected,
            }, cancellationToken: cancellationToken));
        var profile = (await results.ReadAsync<VendorProfileFacts>()).FirstOrDefault();
        var proposals = (await results.ReadAsync<VendorProposalRow>()).ToList();
        var milestones = (await results.ReadAsync<DashboardMilestoneRow>()).ToList();
        return new VendorDashboard(profile, recommended, proposals, milestones);
    }

    /// <summary>Whether a proposal is still open to change: a draft or submitted bid on a challenge that takes proposals.</summary>
    public static bool IsOpen(VendorProposalRow row, DateTimeOffset now) =>
        row.ChallengeStatus == ChallengeStatus.Published && row.DeadlineAt > now && row.Status != ProposalStatus.Withdrawn;
}
