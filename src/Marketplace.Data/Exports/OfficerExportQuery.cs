using System.Runtime.CompilerServices;
using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Proposals;
using Marketplace.Core.Reviews;
using Marketplace.Data.Challenges;
using Marketplace.Matching;

namespace Marketplace.Data.Exports;

/// <summary>
/// The programme office's exports, each a stream of rows read unbuffered (one row in memory at a time) and filtered by
/// the public challenge list's filters (<see cref="ChallengeStore.PublicListFilter"/>): the rows of a challenge the list
/// would not show are left out. Sealing holds: proposals appear only from their challenge's deadline on, and a price
/// only once the challenge's price envelopes were opened. Who may export is the caller's check (officers only).
/// </summary>
public sealed class OfficerExportQuery(DbConnectionFactory connections, ChallengeStore challenges, TimeProvider clock)
{
    public IAsyncEnumerable<ChallengeExportRow> ChallengesAsync(ChallengeSearch search, CancellationToken cancellationToken) =>
        StreamAsync<ChallengeExportRow>(search, """
            SELECT c.id AS ChallengeId, c.title AS Title, o.name AS Enterprise, c.industry AS Industry, COALESCE(o.city, '') AS Region,
                   c.language AS Language, c.status AS Status, c.visibility AS Visibility, c.target_trl AS TargetTrl,
                   c.budget_amount AS Budget, c.budget_currency AS Currency, c.published_at AS PublishedAt, c.deadline_at AS DeadlineAt,
                   CASE WHEN c.deadline_at <= @ExportNow
                        THEN (SELECT COUNT(*) FROM proposals p WHERE p.challenge_id = c.id AND p.status = @ProposalSubmitted) END AS Proposals,
                   d.outcome AS AwardOutcome
            FROM challenges c JOIN organisations o ON o.id = c.enterprise_id
            LEFT JOIN award_decisions d ON d.challenge_id = c.id
            WHERE {0}
            ORDER BY c.id
            """, cancellationToken);

    public IAsyncEnumerable<ProposalExportRow> ProposalsAsync(ChallengeSearch search, CancellationToken cancellationToken) =>
        StreamAsync<ProposalExportRow>(search, """
            SELECT p.id AS ProposalId, c.id AS ChallengeId, c.title AS ChallengeTitle, v.name AS Vendor, p.status AS Status,
                   p.current_version AS Version, p.first_submitted_at AS FirstSubmittedAt, p.last_submitted_at AS LastSubmittedAt,
                   pv.current_trl AS CurrentTrl, pv.delivery_trl AS DeliveryTrl,
                   pe.amount AS Price, pe.currency AS PriceCurrency,
                   CASE WHEN eo.challenge_id IS NOT NULL THEN 1 ELSE 0 END AS PriceOpened
            FROM proposals p
            JOIN challenges c ON c.id = p.challenge_id JOIN organisations o ON o.id = c.enterprise_id
            JOIN organisations v ON v.id = p.vendor_id
            LEFT JOIN proposal_versions pv ON pv.proposal_id = p.id AND pv.version_number = p.current_version
            LEFT JOIN price_envelope_openings eo ON eo.challenge_id = c.id
            LEFT JOIN proposal_price_envelopes pe ON pe.proposal_version_id = pv.id AND eo.challenge_id IS NOT NULL
            WHERE {0} AND c.deadline_at <= @ExportNow AND p.status <> @ProposalDraft AND p.first_submitted_at IS NOT NULL
            ORDER BY c.id, p.id
            """, cancellationToken);

    public IAsyncEnumerable<ScoreExportRow> ScoresAsync(ChallengeSearch search, CancellationToken cancellationToken) =>
        StreamAsync<ScoreExportRow>(search, """
            SELECT c.id AS ChallengeId, c.title AS ChallengeTitle, p.id AS ProposalId, v.name AS Vendor, u.display_name AS Reviewer,
                   rc.name_zh AS CriterionZh, rc.name_en AS CriterionEn, rc.weight AS Weight, s.score AS Score, s.comment AS Comment,
                   s.recorded_at AS RecordedAt
            FROM review_scores s
            JOIN review_assignments a ON a.id = s.assignment_id
            JOIN review_criteria rc ON rc.id = s.criterion_id
            JOIN proposals p ON p.id = a.proposal_id JOIN organisations v ON v.id = p.vendor_id
            JOIN users u ON u.id = a.reviewer_user_id
            JOIN challenges c ON c.id = a.challenge_id JOIN organisations o ON o.id = c.enterprise_id
            WHERE {0} AND a.status = @Accepted
              AND s.id = (SELECT MAX(s2.id) FROM review_scores s2 WHERE s2.assignment_id = s.assignment_id AND s2.criterion_id = s.criterion_id)
            ORDER BY c.id, p.id, u.display_name, rc.position
            """, cancellationToken);

    public IAsyncEnumerable<AwardExportRow> AwardsAsync(ChallengeSearch search, CancellationToken cancellationToken) =>
        StreamAsync<AwardExportRow>(search, """
            SELECT c.id AS ChallengeId, c.title AS ChallengeTitle, o.name AS Enterprise, d.outcome AS Outcome, d.reason AS Reason,
                   d.decided_at AS DecidedAt, w.position AS Position, v.name AS Winner, w.proposal_id AS ProposalId,
                   pe.amount AS Price, pe.currency AS PriceCurrency
            FROM award_decisions d
            JOIN challenges c ON c.id = d.challenge_id JOIN organisations o ON o.id = c.enterprise_id
            LEFT JOIN award_winners w ON w.challenge_id = d.challenge_id
            LEFT JOIN organisations v ON v.id = w.vendor_id
            LEFT JOIN proposal_versions pv ON pv.proposal_id = w.proposal_id AND pv.version_number = w.proposal_version
            LEFT JOIN price_envelope_openings eo ON eo.challenge_id = c.id
            LEFT JOIN proposal_price_envelopes pe ON pe.proposal_version_id = pv.id AND eo.challenge_id IS NOT NULL
            WHERE {0}
            ORDER BY c.id, w.position
            """, cancellationToken);

    public IAsyncEnumerable<MilestoneExportRow> ProjectsAsync(ChallengeSearch search, CancellationToken cancellationToken) =>
        StreamAsync<MilestoneExportRow>(search, """
            SELECT dp.id AS ProjectId, c.id AS ChallengeId, c.title AS ChallengeTitle, v.name AS Vendor, o.name AS Enterprise,
                   dp.status AS ProjectStatus, dp.price_amount AS Price, dp.currency AS Currency, dp.started_at AS StartedAt, dp.ended_at AS EndedAt,
                   f.category AS FailureCategory, m.position AS Milestone, m.name AS MilestoneName, m.due_on AS DueOn, m.status AS MilestoneStatus,
                   m.payment_share AS PaymentShare
            FROM delivery_projects dp
            JOIN challenges c ON c.id = dp.challenge_id JOIN organisations o ON o.id = c.enterprise_id
            JOIN organisations v ON v.id = dp.vendor_id
            LEFT JOIN failure_filings f ON f.project_id = dp.id
            LEFT JOIN delivery_milestones m ON m.project_id = dp.id
            WHERE {0}
            ORDER BY c.id, dp.id, m.position
            """, cancellationToken);

    /// <summary>
    /// The supply–demand ledger (供需台账): each challenge with the vendors the matcher suggested (at or above the lowest
    /// level), those the enterprise invited, those bidding (from the deadline on) and the outcome with its winners. One
    /// query, ordered by challenge, its rows folded into one line per challenge as they stream past.
    /// </summary>
    public async IAsyncEnumerable<LedgerExportRow> LedgerAsync(ChallengeSearch search, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        LedgerExportRow? current = null;
        var relations = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var row in StreamAsync<LedgerRelation>(search, """
            SELECT c.id AS ChallengeId, c.title AS Title, o.name AS Enterprise, c.industry AS Industry, c.status AS Status,
                   c.deadline_at AS DeadlineAt, d.outcome AS Outcome, x.kind AS Relation, x.vendor_name AS VendorName
            FROM challenges c JOIN organisations o ON o.id = c.enterprise_id
            LEFT JOIN award_decisions d ON d.challenge_id = c.id
            LEFT JOIN (
                SELECT r.challenge_id AS challenge_id, 'suggested' AS kind, v.name AS vendor_name, r.rank AS position
                FROM match_results r JOIN organisations v ON v.id = r.vendor_id WHERE r.score >= @LowestLevel
                UNION ALL
                SELECT DISTINCT s.challenge_id, 'invited', v.name, 0
                FROM match_signals s JOIN organisations v ON v.id = s.vendor_id WHERE s.kind = 'invited'
                UNION ALL
                SELECT p.challenge_id, 'bidding', v.name, 0
                FROM proposals p JOIN challenges pc ON pc.id = p.challenge_id JOIN organisations v ON v.id = p.vendor_id
                WHERE p.status = @ProposalSubmitted AND pc.deadline_at <= @ExportNow
                UNION ALL
                SELECT w.challenge_id, 'winner', v.name, w.position
                FROM award_winners w JOIN organisations v ON v.id = w.vendor_id
            ) x ON x.challenge_id = c.id
            WHERE {0}
            ORDER BY c.id, x.kind, x.position, x.vendor_name
            """, cancellationToken))
        {
            if (current is not null && current.ChallengeId != row.ChallengeId)
            {
                yield return Complete(current, relations);
                relations.Clear();
            }

            current = new LedgerExportRow
            {
                ChallengeId = row.ChallengeId, Title = row.Title, Enterprise = row.Enterprise, Industry = row.Industry, Status = row.Status,
                Outcome = row.Outcome ?? "",
                BiddingVendors = row.DeadlineAt > clock.GetUtcNow() ? "sealed" : "",
            };
            if (row.Relation is { } relation && row.VendorName is { } vendor)
            {
                (relations.TryGetValue(relation, out var names) ? names : relations[relation] = []).Add(vendor);
            }
        }

        if (current is not null)
        {
            yield return Complete(current, relations);
        }
    }

    private static LedgerExportRow Complete(LedgerExportRow row, Dictionary<string, List<string>> relations)
    {
        string Names(string kind) => relations.TryGetValue(kind, out var names) ? string.Join("; ", names) : "";
        return row with
        {
            SuggestedVendors = Names("suggested"),
            InvitedVendors = Names("invited"),
            BiddingVendors = row.BiddingVendors.Length > 0 ? row.BiddingVendors : Names("bidding"),
            Winners = Names("winner"),
        };
    }

    // Nullable values come from columns, not CASE expressions: on SQLite an expression's first NULL would fix the
    // reader's idea of its type (a price is sealed by the join instead).

    /// <summary>Runs the export's SQL with the list's filter in place of {0}, streaming rows off an open reader.</summary>
    private async IAsyncEnumerable<T> StreamAsync<T>(ChallengeSearch search, string sql, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (filter, parameters, _) = challenges.PublicListFilter(search);
        parameters.Add("ExportNow", clock.GetUtcNow());
        parameters.Add("ProposalSubmitted", ProposalStatus.Submitted);
        parameters.Add("ProposalDraft", ProposalStatus.Draft);
        parameters.Add("Accepted", AssignmentStatus.Accepted);
        parameters.Add("LowestLevel", MatchLevels.LowFrom);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var command = new CommandDefinition(sql.Replace("{0}", filter, StringComparison.Ordinal), parameters, cancellationToken: cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(command);
        var parse = reader.GetRowParser<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return parse(reader);
        }
    }

    private sealed class LedgerRelation
    {
        public long ChallengeId { get; init; }
        public string Title { get; init; } = "";
        public string Enterprise { get; init; } = "";
        public string Industry { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset DeadlineAt { get; init; }
        public string? Outcome { get; init; }
        public string? Relation { get; init; }
        public string? VendorName { get; init; }
    }
}
