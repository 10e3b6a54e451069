using Dapper;
using Marketplace.Core.Challenges;
using Marketplace.Core.Matching;
using Marketplace.Core.Organisations;
using Marketplace.Core.Proposals;
using Marketplace.Matching;

namespace Marketplace.Data.Matching;

/// <summary>The challenges recommended to a vendor organisation, as the page and the API show them.</summary>
public sealed record VendorRecommendations(string VendorName, IReadOnlyList<ChallengeRecommendation> Items)
{
    public static VendorRecommendations None { get; } = new("", []);
}

/// <summary>
/// "Recommended for you": the signed-in user's vendor organisation, its best open challenges from the matcher's
/// index, and what the list shows of each. Two statements whatever the number of items (the vendor, then every
/// recommended challenge at once); challenges no longer published are left out.
/// </summary>
public sealed class RecommendationQuery(DbConnectionFactory connections, Matchmaker matchmaker)
{
    public const int Count = 20;

    public async Task<VendorRecommendations> ForUserAsync(long? userId, CancellationToken cancellationToken)
    {
        if (userId is null)
        {
            return VendorRecommendations.None;
        }

        VendorRow? vendor;
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            // The user's first vendor organisation, oldest membership first.
            vendor = await connection.QueryFirstOrDefaultAsync<VendorRow>(new CommandDefinition(
                """
                SELECT o.id AS Id, o.name AS Name
                FROM organisations o JOIN memberships m ON m.organisation_id = o.id
                WHERE m.user_id = @UserId AND o.kind = @Vendor
                ORDER BY m.created_at, o.id
                """, new { UserId = userId, Vendor = OrganisationKind.Vendor.ToStorage() }, cancellationToken: cancellationToken));
        }

        if (vendor is null)
        {
            return VendorRecommendations.None;
        }

        // Below the cut-off a challenge is not worth a bidder's time (docs/matching.md, "What a score means").
        var matches = (await matchmaker.RecommendedChallengesAsync(vendor.Id, Count, cancellationToken))
            .Where(m => m.Score >= MatchLevels.RecommendationCutOff).ToList();
        if (matches.Count == 0)
        {
            return new VendorRecommendations(vendor.Name, []);
        }

        await using var reader = await connections.OpenAsync(cancellationToken);
        var challenges = (await reader.QueryAsync<ChallengeRecommendation>(new CommandDefinition(
            $"""
            SELECT c.id AS ChallengeId, c.title AS Title, c.industry AS Industry, o.name AS EnterpriseName, o.name_en AS EnterpriseNameEn, c.deadline_at AS DeadlineAt,
                   c.budget_amount AS BudgetAmount, c.budget_currency AS BudgetCurrency, c.visibility AS Visibility,
                   CASE WHEN c.visibility = 'public' THEN c.scenario ELSE '' END AS MatchText,
                   (SELECT MIN(p.id) FROM proposals p WHERE p.challenge_id = c.id AND p.vendor_id = @VendorId AND p.status <> @Withdrawn) AS OwnProposalId
            FROM challenges c JOIN organisations o ON o.id = c.enterprise_id
            WHERE c.status = @Published AND {connections.Dialect.InList("c.id", "@Ids")}
            """, new { Published = ChallengeStatus.Published, VendorId = vendor.Id, Withdrawn = ProposalStatus.Withdrawn, Ids = matches.Select(m => MatchStore.IdOf(m.Id)).ToArray() },
            cancellationToken: cancellationToken))).ToDictionary(c => c.ChallengeId);

        // Best first, as the matcher ranked them; the score and reasons are the matcher's, the rest is the challenge's.
        var items = matches
            .Where(match => challenges.ContainsKey(MatchStore.IdOf(match.Id)))
            .Select(match => challenges[MatchStore.IdOf(match.Id)] with
            {
                Score = match.Score,
                MatchText = challenges[MatchStore.IdOf(match.Id)].Title + "\n" + challenges[MatchStore.IdOf(match.Id)].MatchText,
                Level = MatchLevels.Of(match.Score).ToString().ToLowerInvariant(),
                Reasons = MatchStore.ReasonsOf(match.Explanation),
            })
            .ToList();
        return new VendorRecommendations(vendor.Name, items);
    }

    private sealed class VendorRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
    }
}
